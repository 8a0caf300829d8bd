// Is a repository location usable? One `git ls-remote` (no mirror needed) that says whether it
// is reachable and a git repository, and lists its branches and default branch — with errors a
// person creating a room can act on.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalid } from '../errors';
import {
  credentialEnv,
  describeRemoteFailure,
  ensureAskpass,
  resolveRemote,
  secretsOf,
  type RemoteConfig,
} from './remote';
import { DEFAULT_NETWORK_TIMEOUT_MS, runGit } from './run-git';
import type { RemoteInfo } from './types';

export async function checkRemote(remote: RemoteConfig, options: { timeoutMs?: number } = {}): Promise<RemoteInfo> {
  const resolved = resolveRemote(remote);
  if (resolved.localPath) {
    const stat = await fs.stat(resolved.localPath).catch(() => null);
    if (!stat) throw invalid(`Cannot reach ${resolved.displayUrl}: no such directory.`, { field: 'url' });
    if (!stat.isDirectory())
      throw invalid(`${resolved.displayUrl} is not a git repository (it is not a directory).`, { field: 'url' });
  }

  // A private scratch directory: the cwd (so no repository around it is picked up) and the
  // home of the askpass script.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aegis-check-'));
  try {
    const env: Record<string, string> = { GIT_CEILING_DIRECTORIES: path.dirname(scratch) };
    if (resolved.username !== undefined) Object.assign(env, credentialEnv(resolved, await ensureAskpass(scratch)));
    let stdout: string;
    try {
      const result = await runGit(['ls-remote', '--symref', '--', resolved.url], {
        cwd: scratch,
        env,
        timeoutMs: options.timeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS,
        secrets: secretsOf(resolved),
      });
      stdout = result.stdout.toString('utf8');
    } catch (error) {
      throw invalid(describeRemoteFailure(error, resolved).message, { field: 'url' });
    }
    return parseLsRemote(stdout);
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

export function parseLsRemote(stdout: string): RemoteInfo {
  let defaultBranch: string | null = null;
  const branches: RemoteInfo['branches'] = [];
  for (const line of stdout.split('\n')) {
    const symref = /^ref: refs\/heads\/(.+)\tHEAD$/.exec(line);
    if (symref) {
      defaultBranch = symref[1];
      continue;
    }
    const ref = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
    if (ref) branches.push({ name: ref[2], sha: ref[1] });
  }
  branches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { defaultBranch, branches };
}
