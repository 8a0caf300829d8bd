// The history of a commit: the newest `limit` commits reachable from it.

import { invalid } from '../errors';
import type { Mirror } from './mirror';
import type { CommitInfo } from './types';

export const MAX_LOG_ENTRIES = 1000;

const FIELDS = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'];

export async function readLog(mirror: Mirror, commit: string, limit: number): Promise<CommitInfo[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_ENTRIES) {
    throw invalid(`The log limit must be a whole number from 1 to ${MAX_LOG_ENTRIES}.`, { field: 'limit' });
  }
  const out = (
    await mirror.git(['log', '-z', `--format=${FIELDS.join('%x1f')}`, `--max-count=${limit}`, commit, '--'])
  ).stdout.toString('utf8');
  return out
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const parts = record.split('\x1f');
      const [sha, parents, an, ae, ad, cn, ce, cd] = parts;
      const message = parts.slice(8).join('\x1f');
      return {
        sha,
        parents: parents ? parents.split(' ') : [],
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
        subject: message.split('\n', 1)[0],
        message,
      };
    });
}
