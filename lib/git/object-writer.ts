// Writing git objects (blobs, trees and commits) into the mirror's object store without a git process:
// a loose object is the zlib-deflated "<type> <size>\0<content>", stored under the hex of its
// hash (objects/ab/cdef…), written to a temporary file and renamed into place, exactly as git
// writes one. Trees are read through the mirror's long-lived object reader. This is what lets a
// push_files preview build its tree in no process at all (build-tree.ts); the objects are then
// sent to the remote by `git push`, which checks them like any other.

import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import type { Mirror } from './mirror';

const deflateAsync = promisify(deflate);

export interface TreeEntry {
  /** git's octal mode as written in a tree: 100644, 100755, 120000, 40000 or 160000. */
  mode: string;
  /** The name's bytes as a latin1 string (one character per byte), so any name round-trips. */
  name: string;
  oid: string;
}

export type EntryType = 'blob' | 'tree' | 'commit';

export function typeOfMode(mode: string): EntryType {
  if (mode === '40000') return 'tree';
  if (mode === '160000') return 'commit';
  return 'blob';
}

/** The hash the mirror's objects are named by (git's `extensions.objectFormat`). */
export async function objectFormat(mirror: Mirror): Promise<'sha1' | 'sha256'> {
  const config = await fs.readFile(path.join(mirror.dir, 'config'), 'utf8').catch(() => '');
  return /^\s*objectformat\s*=\s*sha256\s*$/im.test(config) ? 'sha256' : 'sha1';
}

/** Writes one object (if it is not there yet) and returns its id. */
export async function writeObject(
  mirror: Mirror,
  format: 'sha1' | 'sha256',
  type: 'blob' | 'tree' | 'commit',
  content: Buffer,
): Promise<string> {
  const header = Buffer.from(`${type} ${content.length}\0`, 'ascii');
  const oid = createHash(format).update(header).update(content).digest('hex');
  const dir = path.join(mirror.dir, 'objects', oid.slice(0, 2));
  const file = path.join(dir, oid.slice(2));
  if (
    await fs
      .access(file)
      .then(() => true)
      .catch(() => false)
  ) {
    return oid;
  }
  const data = await deflateAsync(Buffer.concat([header, content]));
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `tmp_obj_${randomUUID()}`);
  try {
    await fs.writeFile(tmp, data, { mode: 0o444 });
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  return oid;
}

/** The entries of a tree object's content. */
export function parseTree(content: Buffer, hashBytes: number): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    if (space === -1 || nul === -1 || nul + 1 + hashBytes > content.length) throw new Error('malformed tree object');
    entries.push({
      mode: content.toString('latin1', at, space),
      name: content.toString('latin1', space + 1, nul),
      oid: content.toString('hex', nul + 1, nul + 1 + hashBytes),
    });
    at = nul + 1 + hashBytes;
  }
  return entries;
}

/** A tree object's content, its entries in git's order (a directory sorts as if its name ended in "/"). */
export function serializeTree(entries: readonly TreeEntry[]): Buffer {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.mode === '40000' ? `${e.name}/` : e.name, 'latin1') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return Buffer.concat(
    keyed.flatMap(({ e }) => [Buffer.from(`${e.mode} ${e.name}\0`, 'latin1'), Buffer.from(e.oid, 'hex')]),
  );
}
