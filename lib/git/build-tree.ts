// Turns a set of file writes and deletions into a git tree on top of a commit, with plumbing
// only: blobs via `hash-object -w`, then a private index file (read-tree, update-index,
// write-tree). No ref moves and no working tree exists. Used both to preview a push and to
// make its commit.

import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { invalid } from '../errors';
import type { Mirror } from './mirror';
import { text } from './run-git';
import type { FileChange } from './types';
import { validateFilePath } from './validate-ref';

export interface PreparedChanges {
  files: { path: string; content: Buffer }[];
  deletions: string[];
  /** Blob ids of `files`, written once and reused by every attempt. */
  blobs?: Promise<string[]>;
  /** A digest of everything above (for the built-tree memo). */
  digest?: string;
}

// Trees are content-addressed: the same changes on the same parent always give the same tree,
// so a tree built once (for the policy's preview) is reused for the commit.
const BUILT_TREES = 256;

function digestOf(changes: PreparedChanges): string {
  if (!changes.digest) {
    const hash = createHash('sha256');
    for (const f of changes.files) {
      hash.update(`w${Buffer.byteLength(f.path)}:${f.path}${f.content.length}:`);
      hash.update(f.content);
    }
    for (const d of changes.deletions) hash.update(`d${Buffer.byteLength(d)}:${d}`);
    changes.digest = hash.digest('hex');
  }
  return changes.digest;
}

/** Validates paths, contents and size limits before any git process runs. */
export function prepareChanges(
  files: readonly FileChange[] | undefined,
  deletions: readonly string[] | undefined,
  limits: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number },
): PreparedChanges {
  const fileList = files ?? [];
  const deletionList = deletions ?? [];
  if (!Array.isArray(fileList)) throw invalid('files must be a list.', { field: 'files' });
  if (!Array.isArray(deletionList)) throw invalid('deletions must be a list.', { field: 'deletions' });
  const count = fileList.length + deletionList.length;
  if (count === 0) throw invalid('Nothing to change: give at least one file to write or delete.', { field: 'files' });
  if (count > limits.maxFiles) {
    throw invalid(`Too many files in one push: ${count} (the limit is ${limits.maxFiles} files per push).`, {
      field: 'files',
    });
  }

  const seen = new Set<string>();
  const prepared: PreparedChanges['files'] = [];
  let total = 0;
  for (const file of fileList) {
    if (!file || typeof file !== 'object') throw invalid('Each file needs a path and content.', { field: 'files' });
    const path = validateFilePath(file.path);
    if (seen.has(path)) throw invalid(`"${path}" appears more than once in the push.`, { field: 'files' });
    seen.add(path);
    let content: Buffer;
    if (typeof file.content === 'string') content = Buffer.from(file.content, 'utf8');
    else if (file.content instanceof Uint8Array)
      content = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength);
    else throw invalid(`The content of "${path}" must be text or bytes.`, { field: 'files' });
    if (content.length > limits.maxFileBytes) {
      throw invalid(`"${path}" is ${content.length} bytes, over the limit of ${limits.maxFileBytes} bytes per file.`, {
        field: 'files',
      });
    }
    total += content.length;
    if (total > limits.maxTotalBytes) {
      throw invalid(`The push is over the limit of ${limits.maxTotalBytes} bytes in total.`, { field: 'files' });
    }
    prepared.push({ path, content });
  }
  for (const deletion of deletionList) {
    const path = validateFilePath(deletion);
    if (seen.has(path)) {
      const both = prepared.some((f) => f.path === path);
      throw invalid(`"${path}" is ${both ? 'both written and deleted' : 'deleted more than once'} in the push.`, {
        field: 'deletions',
      });
    }
    seen.add(path);
  }
  return { files: prepared, deletions: [...deletionList] };
}

function writeBlobs(mirror: Mirror, changes: PreparedChanges): Promise<string[]> {
  if (!changes.blobs) {
    changes.blobs = hashObjects(
      mirror,
      changes.files.map((f) => f.content),
    );
    // A failed write must not be remembered for the next attempt.
    changes.blobs.catch(() => {
      changes.blobs = undefined;
    });
  }
  return changes.blobs;
}

/**
 * Writes blobs with one `hash-object --stdin-paths` process instead of one per file: the
 * contents go to private scratch files first (git cannot read several blobs from stdin).
 */
async function hashObjects(mirror: Mirror, contents: readonly Buffer[]): Promise<string[]> {
  if (contents.length === 0) return [];
  await mirror.ensureInit();
  const scratch = join(mirror.auxDir, `blobs-${randomUUID()}`);
  await fs.mkdir(scratch, { mode: 0o700 });
  try {
    const files = await Promise.all(
      contents.map(async (content, i) => {
        const file = join(scratch, String(i));
        await fs.writeFile(file, content, { mode: 0o600 });
        return file;
      }),
    );
    const out = text(
      await mirror.git(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: `${files.join('\n')}\n` }),
    );
    const ids = out.split('\n');
    if (ids.length !== contents.length) throw new Error('git hash-object returned an unexpected number of ids');
    return ids;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** The object type at each path of a commit's tree (null when absent), in one git process. */
async function typesAt(
  mirror: Mirror,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, ObjectType | null>> {
  const types = new Map<string, ObjectType | null>();
  if (paths.length === 0) return types;
  // Paths never contain a newline (validateFilePath refuses control characters).
  const input = paths.map((p) => `${commit}:${p}\n`).join('');
  const lines = text(await mirror.git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input })).split(
    '\n',
  );
  paths.forEach((p, i) => {
    const match = /^[0-9a-f]{40,64} (blob|tree|commit|tag)$/.exec(lines[i] ?? '');
    types.set(p, match ? (match[1] as ObjectType) : null);
  });
  return types;
}

/** File modes of existing files (paths known to be blobs). */
async function modesOf(mirror: Mirror, commit: string, paths: readonly string[]): Promise<Map<string, string>> {
  const modes = new Map<string, string>();
  if (paths.length === 0) return modes;
  const out = (await mirror.git(['ls-tree', '-z', '--full-tree', commit, '--', ...paths])).stdout.toString('utf8');
  for (const record of out.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    modes.set(record.slice(tab + 1), record.slice(0, record.indexOf(' ')));
  }
  return modes;
}

function parentDirs(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Writes the tree that `parent`'s tree becomes with `changes` applied, and returns its id.
 * Refuses deletions of missing files and writes that would turn a file into a directory or
 * back (git would silently drop the other entry).
 */
export async function buildTree(
  mirror: Mirror,
  parent: string | null,
  changes: PreparedChanges,
  where: string,
): Promise<string> {
  const key = `${parent ?? ''}:${digestOf(changes)}`;
  const built = mirror.builtTrees.get(key);
  // (Checked to exist: an unreferenced tree could in principle have been collected since.)
  if (built && (await mirror.objects().info(built))?.type === 'tree') return built;
  const tree = await writeTree(mirror, parent, changes, where);
  if (mirror.builtTrees.size >= BUILT_TREES) mirror.builtTrees.delete(mirror.builtTrees.keys().next().value!);
  mirror.builtTrees.set(key, tree);
  return tree;
}

async function writeTree(
  mirror: Mirror,
  parent: string | null,
  changes: PreparedChanges,
  where: string,
): Promise<string> {
  const blobs = await writeBlobs(mirror, changes);
  const deleted = new Set(changes.deletions);
  const written = new Set(changes.files.map((f) => f.path));

  const queries = new Set<string>(changes.deletions);
  for (const f of changes.files) {
    queries.add(f.path);
    for (const dir of parentDirs(f.path)) queries.add(dir);
  }
  const types = parent ? await typesAt(mirror, parent, [...queries]) : new Map<string, ObjectType | null>();
  const typeOf = (p: string) => types.get(p) ?? null;

  for (const d of changes.deletions) {
    const type = typeOf(d);
    if (type === 'tree')
      throw invalid(`Cannot delete "${d}": it is a directory on ${where}; delete the files in it instead.`, {
        field: 'deletions',
      });
    if (type === null)
      throw invalid(`Cannot delete "${d}": there is no such file on ${where}.`, { field: 'deletions' });
  }
  for (const f of changes.files) {
    const type = typeOf(f.path);
    if (type === 'tree') throw invalid(`Cannot write "${f.path}": it is a directory on ${where}.`, { field: 'files' });
    if (type === 'commit')
      throw invalid(`Cannot write "${f.path}": it is a submodule on ${where}.`, { field: 'files' });
    for (const dir of parentDirs(f.path)) {
      if (written.has(dir))
        throw invalid(`"${dir}" cannot be both a file and a directory in one push.`, { field: 'files' });
      const dirType = typeOf(dir);
      if (dirType !== null && dirType !== 'tree' && !deleted.has(dir)) {
        throw invalid(`Cannot write "${f.path}": "${dir}" is a file on ${where}.`, { field: 'files' });
      }
    }
  }

  const existing = changes.files.filter((f) => typeOf(f.path) === 'blob').map((f) => f.path);
  const modes = parent ? await modesOf(mirror, parent, existing) : new Map<string, string>();

  return mirror.withTemporaryIndex(async (env) => {
    await mirror.git(parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env });
    const zero = '0'.repeat(parent?.length ?? 40);
    let info = '';
    for (const d of changes.deletions) info += `0 ${zero}\t${d}\0`;
    changes.files.forEach((f, i) => {
      // Keep an executable bit; anything else (including a symlink) becomes a regular file.
      const mode = modes.get(f.path) === '100755' ? '100755' : '100644';
      info += `${mode} ${blobs[i]}\t${f.path}\0`;
    });
    await mirror.git(['update-index', '-z', '--index-info'], { env, input: info });
    return text(await mirror.git(['write-tree'], { env }));
  });
}

/** The id of the empty tree in this repository's hash. */
export async function emptyTree(mirror: Mirror): Promise<string> {
  return text(await mirror.git(['mktree'], { input: '' }));
}
