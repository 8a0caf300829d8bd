// What changed between two trees or commits: per-file status and line counts (from
// `diff-tree --raw --numstat`) plus the unified diff text, cut at a size bound.

import type { Mirror } from './mirror';
import type { DiffStats, FileChangeStatus, FileDiff } from './types';

const DIFF_OPTIONS = ['-r', '--no-renames', '--no-ext-diff', '--no-textconv'];

const STATUS: Record<string, FileChangeStatus> = { A: 'added', D: 'deleted', M: 'modified', T: 'modified' };

/** Per-file statistics of the difference from tree-ish `from` to tree-ish `to`. */
export async function diffStats(mirror: Mirror, from: string, to: string): Promise<DiffStats> {
  const out = (
    await mirror.git(['diff-tree', '-z', '--raw', '--numstat', ...DIFF_OPTIONS, from, to, '--'])
  ).stdout.toString('utf8');
  const tokens = out.split('\0');
  const files = new Map<string, FileDiff>();
  const order: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === '') continue;
    if (token.startsWith(':')) {
      // ":<old mode> <new mode> <old sha> <new sha> <status>" then the path
      const [oldMode, newMode, , , status] = token.slice(1).split(' ');
      const path = tokens[++i];
      order.push(path);
      files.set(path, {
        path,
        status: STATUS[status[0]] ?? 'modified',
        additions: 0,
        deletions: 0,
        binary: false,
        oldMode: /^0+$/.test(oldMode) ? null : oldMode,
        newMode: /^0+$/.test(newMode) ? null : newMode,
      });
    } else {
      // "<added>\t<deleted>\t<path>", with "-" for binary files
      const [added, removed, ...rest] = token.split('\t');
      const file = files.get(rest.join('\t'));
      if (!file) continue;
      if (added === '-' || removed === '-') file.binary = true;
      else {
        file.additions = Number(added);
        file.deletions = Number(removed);
      }
    }
  }
  const list = order.map((p) => files.get(p)!);
  return {
    filesChanged: list.length,
    additions: list.reduce((n, f) => n + f.additions, 0),
    deletions: list.reduce((n, f) => n + f.deletions, 0),
    files: list,
  };
}

/** Unified diff text from `from` to `to`, at most `maxBytes` long. */
export async function diffPatch(
  mirror: Mirror,
  from: string,
  to: string,
  maxBytes: number,
): Promise<{ patch: string; truncated: boolean }> {
  const result = await mirror.git(['diff-tree', '-p', '--no-color', ...DIFF_OPTIONS, from, to, '--'], {
    maxBuffer: Math.max(1, maxBytes),
    truncate: true,
  });
  let patch = result.stdout.toString('utf8');
  // Do not end a cut patch in the middle of a line (or of a UTF-8 character).
  if (result.truncated) patch = patch.slice(0, Math.max(0, patch.lastIndexOf('\n') + 1));
  return { patch, truncated: result.truncated };
}

export async function diffTrees(mirror: Mirror, from: string, to: string) {
  const [stats, patch] = await Promise.all([
    diffStats(mirror, from, to),
    diffPatch(mirror, from, to, mirror.settings.maxDiffBytes),
  ]);
  return { ...stats, ...patch };
}
