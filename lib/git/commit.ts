// Making a commit object with `git commit-tree` from a tree and parents, after checking the
// author identity and message that callers pass in.

import { invalid } from '../errors';
import type { Mirror } from './mirror';
import { text } from './run-git';
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
  const date: Record<string, string> = input.date
    ? { GIT_AUTHOR_DATE: gitDate(input.date), GIT_COMMITTER_DATE: gitDate(input.date) }
    : {};
  const args = ['commit-tree', input.tree];
  for (const parent of input.parents) args.push('-p', parent);
  args.push('-F', '-');
  const result = await mirror.git(args, {
    input: input.message,
    env: {
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      ...date,
    },
  });
  return text(result);
}

/** git's internal date format: seconds since the epoch and a zone. */
function gitDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw invalid('The commit date is not a valid date.', { field: 'date' });
  return `@${Math.floor(date.getTime() / 1000)} +0000`;
}
