// Reading from a commit in the mirror: one file's content, or a directory's entries.

import { invalid, notFound } from '../errors';
import type { Mirror } from './mirror';
import type { ReadResult, TreeEntry, TreeEntryType } from './types';
import { validateFilePath } from './validate-ref';

function entryType(mode: string): TreeEntryType {
  if (mode === '040000') return 'directory';
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'submodule';
  return 'file';
}

/** Parses `ls-tree -z -l` records: "<mode> <type> <sha> <size>\t<path>". */
function parseLsTree(out: string): { mode: string; sha: string; size: number | null; path: string }[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode, , sha, size] = record.slice(0, tab).trim().split(/\s+/);
      return { mode, sha, size: size === '-' ? null : Number(size), path: record.slice(tab + 1) };
    });
}

/**
 * A path to read, checked before any git process runs: a file path, or a directory with or
 * without a trailing "/", or '' or '/' for the root (returned as '').
 */
export function validateReadPath(path: string): string {
  if (typeof path !== 'string') throw invalid('The path must be a string.', { field: 'path' });
  const normalized = path === '/' ? '' : path.replace(/\/$/, '');
  return normalized === '' ? '' : validateFilePath(normalized);
}

/** The file or directory at `path` ('' or '/' for the root) in commit `commit`. */
export async function readPath(mirror: Mirror, commit: string, path: string, refLabel: string): Promise<ReadResult> {
  const normalized = validateReadPath(path);
  if (normalized === '') return listDirectory(mirror, `${commit}^{tree}`, '', await treeOf(mirror, commit));

  const out = (await mirror.git(['ls-tree', '-z', '-l', '--full-tree', commit, '--', normalized])).stdout.toString(
    'utf8',
  );
  const entry = parseLsTree(out).find((e) => e.path === normalized);
  if (!entry) throw notFound(`"${normalized}" does not exist on ${refLabel}.`);

  const type = entryType(entry.mode);
  if (type === 'directory') return listDirectory(mirror, entry.sha, normalized, entry.sha);
  if (type === 'submodule') return { type: 'submodule', path: normalized, sha: entry.sha };

  const size = entry.size ?? 0;
  if (size > mirror.settings.maxReadBytes) {
    throw invalid(
      `"${normalized}" is ${size} bytes, over the limit of ${mirror.settings.maxReadBytes} bytes for reading a file.`,
    );
  }
  const content = (await mirror.git(['cat-file', 'blob', entry.sha], { maxBuffer: size + 1024 })).stdout;
  return {
    type,
    path: normalized,
    sha: entry.sha,
    size,
    mode: entry.mode,
    content,
    binary: content.subarray(0, 8000).includes(0),
  };
}

async function treeOf(mirror: Mirror, commit: string): Promise<string> {
  return (await mirror.git(['rev-parse', '--verify', `${commit}^{tree}`])).stdout.toString('utf8').trim();
}

async function listDirectory(mirror: Mirror, treeish: string, path: string, sha: string): Promise<ReadResult> {
  const out = (await mirror.git(['ls-tree', '-z', '-l', treeish])).stdout.toString('utf8');
  const entries: TreeEntry[] = parseLsTree(out).map((e) => ({
    name: e.path,
    path: path ? `${path}/${e.path}` : e.path,
    type: entryType(e.mode),
    sha: e.sha,
    size: entryType(e.mode) === 'file' || entryType(e.mode) === 'symlink' ? e.size : null,
    mode: e.mode,
  }));
  return { type: 'directory', path, sha, entries };
}
