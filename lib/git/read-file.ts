// Reading from a commit in the mirror: one file's content, or a directory's entries.

import { invalid, notFound } from '../errors';
import type { Mirror } from './mirror';
import type { ObjectReader, ObjectType } from './object-reader';
import type { ReadResult, TreeEntry, TreeEntryType } from './types';
import { validateFilePath } from './validate-ref';

function entryType(mode: string): TreeEntryType {
  if (mode === '040000') return 'directory';
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'submodule';
  return 'file';
}

interface RawEntry {
  mode: string;
  name: string;
  sha: string;
}

/** Parses a tree object: entries of "<octal mode> <name>\0<raw object id>", in git's order. */
function parseTree(content: Buffer, oidBytes: number): RawEntry[] {
  const entries: RawEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space + 1);
    if (space === -1 || nul === -1 || nul + 1 + oidBytes > content.length) throw new Error('malformed tree object');
    entries.push({
      // ls-tree's form: trees are "040000", not "40000".
      mode: content.toString('latin1', at, space).padStart(6, '0'),
      name: content.toString('utf8', space + 1, nul),
      sha: content.toString('hex', nul + 1, nul + 1 + oidBytes),
    });
    at = nul + 1 + oidBytes;
  }
  return entries;
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

async function readObject(reader: ObjectReader, oid: string, type: ObjectType): Promise<Buffer> {
  const object = await reader.read(oid);
  // The mirror holds every object its refs reach: anything else is a broken mirror.
  if (!object || object.type !== type) throw new Error(`object ${oid} is not a ${type} in the mirror`);
  return object.content!;
}

/**
 * The file or directory at `path` ('' or '/' for the root) in commit `commit`, read through the
 * mirror's object reader: the commit, the trees along the path, then the blob (or a directory's
 * entries with their sizes). No git process is started.
 */
export async function readPath(mirror: Mirror, commit: string, path: string, refLabel: string): Promise<ReadResult> {
  const normalized = validateReadPath(path);
  await mirror.ensureInit();
  const reader = mirror.objects();
  const oidBytes = commit.length / 2;
  const commitText = (await readObject(reader, commit, 'commit')).toString('utf8');
  const rootTree = /^tree ([0-9a-f]{40,64})$/m.exec(commitText)?.[1];
  if (!rootTree) throw new Error(`commit ${commit} has no tree`);
  if (normalized === '') return listDirectory(reader, rootTree, '', oidBytes);

  let tree = rootTree;
  let entry: RawEntry | undefined;
  const segments = normalized.split('/');
  for (const [i, segment] of segments.entries()) {
    entry = parseTree(await readObject(reader, tree, 'tree'), oidBytes).find((e) => e.name === segment);
    if (!entry || (i < segments.length - 1 && entryType(entry.mode) !== 'directory')) {
      throw notFound(`"${normalized}" does not exist on ${refLabel}.`);
    }
    tree = entry.sha;
  }
  const found = entry!;

  const type = entryType(found.mode);
  if (type === 'directory') return listDirectory(reader, found.sha, normalized, oidBytes);
  if (type === 'submodule') return { type: 'submodule', path: normalized, sha: found.sha };

  const maxBytes = mirror.settings.maxReadBytes;
  const info = await reader.info(found.sha);
  if (!info) throw new Error(`object ${found.sha} is missing from the mirror`);
  if (info.size > maxBytes) {
    throw invalid(`"${normalized}" is ${info.size} bytes, over the limit of ${maxBytes} bytes for reading a file.`);
  }
  const content = await readObject(reader, found.sha, 'blob');
  return {
    type,
    path: normalized,
    sha: found.sha,
    size: content.length,
    mode: found.mode,
    content,
    binary: content.subarray(0, 8000).includes(0),
  };
}

async function listDirectory(reader: ObjectReader, tree: string, path: string, oidBytes: number): Promise<ReadResult> {
  const raw = parseTree(await readObject(reader, tree, 'tree'), oidBytes);
  // Sizes of files and symlinks, as `ls-tree -l` gives them (requests are pipelined).
  const sizes = await Promise.all(
    raw.map(async (e) => {
      const type = entryType(e.mode);
      if (type !== 'file' && type !== 'symlink') return null;
      return (await reader.info(e.sha))?.size ?? null;
    }),
  );
  const entries: TreeEntry[] = raw.map((e, i) => ({
    name: e.name,
    path: path ? `${path}/${e.name}` : e.name,
    type: entryType(e.mode),
    sha: e.sha,
    size: sizes[i],
    mode: e.mode,
  }));
  return { type: 'directory', path, sha: tree, entries };
}
