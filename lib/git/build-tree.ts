// Turns a set of file writes and deletions into a git tree on top of a commit, without a git
// process: the parent's trees are read through the mirror's long-lived object reader, and the
// blobs and the changed trees are written straight into the object store (object-writer.ts).
// Only the trees on the paths that change are rewritten; everything else is kept verbatim.
// No ref moves and no working tree exists. Used both to preview a push and to make its commit
// (the same changes on the same parent are built once).

import { createHash } from 'node:crypto';
import { invalid } from '../errors';
import type { Mirror } from './mirror';
import {
  objectFormat,
  serializeTree,
  parseTree,
  typeOfMode,
  writeObject,
  type EntryType,
  type TreeEntry,
} from './object-writer';
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

type ObjectFormat = 'sha1' | 'sha256';

function writeBlobs(mirror: Mirror, format: ObjectFormat, changes: PreparedChanges): Promise<string[]> {
  if (!changes.blobs) {
    changes.blobs = Promise.all(changes.files.map((f) => writeObject(mirror, format, 'blob', f.content)));
    // A failed write must not be remembered for the next attempt.
    changes.blobs.catch(() => {
      changes.blobs = undefined;
    });
  }
  return changes.blobs;
}

/** Reads trees through the mirror's object reader, each once per build; names are byte strings. */
class TreeReader {
  private readonly trees = new Map<string, Promise<Map<string, TreeEntry>>>();

  constructor(
    private readonly mirror: Mirror,
    private readonly hashBytes: number,
  ) {}

  async treeOfCommit(commit: string): Promise<string> {
    await this.mirror.ensureInit();
    const object = await this.mirror.objects().read(commit);
    if (!object || object.type !== 'commit' || !object.content)
      throw new Error(`${commit} is not a commit in the mirror`);
    const match = /^tree ([0-9a-f]+)$/m.exec(object.content.toString('latin1', 0, object.content.indexOf('\n\n')));
    if (!match) throw new Error(`commit ${commit} has no tree`);
    return match[1];
  }

  entries(tree: string): Promise<Map<string, TreeEntry>> {
    let entries = this.trees.get(tree);
    if (!entries) {
      entries = this.mirror
        .objects()
        .read(tree)
        .then((object) => {
          if (!object || object.type !== 'tree' || !object.content)
            throw new Error(`${tree} is not a tree in the mirror`);
          return new Map(parseTree(object.content, this.hashBytes).map((e) => [e.name, e]));
        });
      this.trees.set(tree, entries);
    }
    return entries;
  }

  /** The entry at `path` (byte-string components) under `tree`, or null when absent. */
  async lookup(tree: string | null, parts: readonly string[]): Promise<TreeEntry | null> {
    let current = tree;
    for (let i = 0; i < parts.length; i++) {
      if (current === null) return null;
      const entry = (await this.entries(current)).get(parts[i]);
      if (!entry) return null;
      if (i === parts.length - 1) return entry;
      current = entry.mode === '40000' ? entry.oid : null;
    }
    return null;
  }
}

/** A path as the byte string tree entries are named by. */
const bytes = (p: string) => Buffer.from(p, 'utf8').toString('latin1');

interface DirChanges {
  /** File name → new entry, or null to delete it. */
  files: Map<string, { mode: string; oid: string } | null>;
  dirs: Map<string, DirChanges>;
}

const emptyDir = (): DirChanges => ({ files: new Map(), dirs: new Map() });

/** Writes `tree` with `changes` applied; null when nothing is left (git keeps no empty directory). */
async function applyToTree(
  mirror: Mirror,
  format: ObjectFormat,
  reader: TreeReader,
  tree: string | null,
  changes: DirChanges,
): Promise<string | null> {
  const entries = tree ? new Map(await reader.entries(tree)) : new Map<string, TreeEntry>();
  for (const [name, change] of changes.files) {
    if (change) entries.set(name, { name, ...change });
    else entries.delete(name);
  }
  for (const [name, sub] of changes.dirs) {
    const existing = entries.get(name);
    const subtree = await applyToTree(mirror, format, reader, existing?.mode === '40000' ? existing.oid : null, sub);
    if (subtree === null) entries.delete(name);
    else entries.set(name, { mode: '40000', name, oid: subtree });
  }
  if (entries.size === 0) return null;
  return writeObject(mirror, format, 'tree', serializeTree([...entries.values()]));
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
  await mirror.ensureInit();
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
  const format = await objectFormat(mirror);
  const reader = new TreeReader(mirror, format === 'sha256' ? 32 : 20);
  const [blobs, root] = await Promise.all([
    writeBlobs(mirror, format, changes),
    parent ? reader.treeOfCommit(parent) : null,
  ]);
  const deleted = new Set(changes.deletions);
  const written = new Set(changes.files.map((f) => f.path));

  const queries = new Set<string>(changes.deletions);
  for (const f of changes.files) {
    queries.add(f.path);
    for (const dir of parentDirs(f.path)) queries.add(dir);
  }
  const found = new Map<string, TreeEntry | null>();
  await Promise.all([...queries].map(async (p) => found.set(p, await reader.lookup(root, bytes(p).split('/')))));
  const typeOf = (p: string): EntryType | null => {
    const entry = found.get(p);
    return entry ? typeOfMode(entry.mode) : null;
  };

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

  const top = emptyDir();
  const place = (p: string, change: { mode: string; oid: string } | null) => {
    const parts = bytes(p).split('/');
    let dir = top;
    for (const part of parts.slice(0, -1)) {
      let sub = dir.dirs.get(part);
      if (!sub) dir.dirs.set(part, (sub = emptyDir()));
      dir = sub;
    }
    dir.files.set(parts[parts.length - 1], change);
  };
  for (const d of changes.deletions) place(d, null);
  changes.files.forEach((f, i) => {
    // Keep an executable bit; anything else (including a symlink) becomes a regular file.
    const mode = found.get(f.path)?.mode === '100755' ? '100755' : '100644';
    place(f.path, { mode, oid: blobs[i] });
  });
  return (await applyToTree(mirror, format, reader, root, top)) ?? writeObject(mirror, format, 'tree', Buffer.alloc(0));
}

/** The id of the empty tree in this repository's hash (written if missing). */
export async function emptyTree(mirror: Mirror): Promise<string> {
  await mirror.ensureInit();
  return writeObject(mirror, await objectFormat(mirror), 'tree', Buffer.alloc(0));
}
