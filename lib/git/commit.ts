// Making a commit object from a tree and parents (as `git commit-tree` would, without its
// process), after checking the author identity and message that callers pass in.

import { invalid } from '../errors';
import type { Mirror } from './mirror';
import { objectFormat, writeObject } from './object-writer';
import type { Person } from './types';

export const MAX_MESSAGE_BYTES = 64 * 1024;

export function validatePerson(person: Person | undefined, field = 'author'): Person {
  if (!person || typeof person !== 'object') throw invalid(`The ${field} (name and email) is required.`, { field });
  const { name, email } = person;
  if (typeof name !== 'string' || name.trim() === '') throw invalid(`The ${field} name must not be empty.`, { field });
  if (typeof email !== 'string' || email.trim() === '')
    throw invalid(`The ${field} email must not be empty.`, { field });
  // git would silently drop these characters, recording an identity other than the one given.
  const bad = /[<>\u0000-\u001f\u007f]/;
  if (bad.test(name) || name.length > 256)
    throw invalid(`The ${field} name must be at most 256 characters without "<", ">" or control characters.`, {
      field,
    });
  if (bad.test(email) || /\s/.test(email) || email.length > 256 || !email.includes('@')) {
    throw invalid(`The ${field} email must look like an email address.`, { field });
  }
  return { name: name.trim(), email: email.trim() };
}

export function validateMessage(message: string | undefined): string {
  if (typeof message !== 'string' || message.trim() === '')
    throw invalid('The commit message must not be empty.', { field: 'message' });
  if (message.includes('\0'))
    throw invalid('The commit message must not contain NUL characters.', { field: 'message' });
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) {
    throw invalid(`The commit message must be at most ${MAX_MESSAGE_BYTES} bytes.`, { field: 'message' });
  }
  return `${message.replace(/\s+$/, '')}\n`;
}

/**
 * Writes a commit object straight into the mirror's store (no `git commit-tree` process), byte
 * for byte what `git commit-tree` writes for the same input: git's identity line (surrounding
 * "crud" removed from name and email, see ident.c), the date as seconds and zone, the message
 * as given. The tree and parents must already be in the mirror.
 */
export async function createCommit(
  mirror: Mirror,
  input: {
    tree: string;
    parents: readonly string[];
    message: string;
    author: Person;
    committer?: Person;
    /** Author and committer date; fixed, the same inputs always make the same commit id. */
    date?: Date;
  },
): Promise<string> {
  const committer = input.committer ?? input.author;
  const when = gitDate(input.date ?? new Date(), input.date === undefined);
  await mirror.ensureInit();
  const objects = mirror.objects();
  const [tree, ...parents] = await Promise.all([input.tree, ...input.parents].map((oid) => objects.info(oid)));
  if (tree?.type !== 'tree') throw new Error(`${input.tree} is not a tree in the mirror`);
  parents.forEach((parent, i) => {
    if (parent?.type !== 'commit') throw new Error(`${input.parents[i]} is not a commit in the mirror`);
  });
  let header = `tree ${tree.oid}\n`;
  for (const parent of parents) header += `parent ${parent!.oid}\n`;
  header += `author ${identity(input.author, 'author')} ${when}\n`;
  header += `committer ${identity(committer, 'committer')} ${when}\n\n`;
  const content = Buffer.concat([Buffer.from(header, 'utf8'), Buffer.from(input.message, 'utf8')]);
  return writeObject(mirror, await objectFormat(mirror), 'commit', content);
}

// git's ident.c: characters stripped from both ends of a name or email (checked against git by
// write-path.test.ts).
const crud = (c: number) => c <= 32 || [0x2e, 0x2c, 0x3a, 0x3b, 0x3c, 0x3e, 0x22, 0x5c, 0x27].includes(c);

function withoutCrud(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let start = 0;
  let end = bytes.length;
  while (start < end && crud(bytes[start])) start++;
  while (end > start && crud(bytes[end - 1])) end--;
  return Buffer.from(bytes.subarray(start, end).filter((c) => c !== 0x0a && c !== 0x3c && c !== 0x3e)).toString('utf8');
}

function identity(person: Person, field: string): string {
  const name = withoutCrud(person.name);
  const email = withoutCrud(person.email);
  if (name === '') throw invalid(`The ${field} name must not be empty.`, { field });
  return `${name} <${email}>`;
}

/** git's date in a commit: seconds since the epoch and a zone (the local one for "now"). */
function gitDate(date: Date, local: boolean): string {
  if (Number.isNaN(date.getTime())) throw invalid('The commit date is not a valid date.', { field: 'date' });
  const seconds = Math.floor(date.getTime() / 1000);
  if (!local) return `${seconds} +0000`;
  const offset = -date.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${seconds} ${zone}`;
}
