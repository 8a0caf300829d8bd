// Validation of the branch names and file paths that agents send, before any git process runs.
// The rules mirror git's own (`git check-ref-format --branch` for branches, `verify_path` with
// core.protectNTFS/core.protectHFS for paths), implemented in TypeScript because they sit on the
// hot path of every call; validate-ref.test.ts compares them to the local git as the oracle.
// Where Aegis is stricter than git (`@`, `refs/…`, backslashes, a drive letter at
// the start of any path segment, control characters, length), the message says so plainly; in
// everything else it agrees with git exactly.

import { invalid } from '../errors';

/** Longest branch name accepted, in UTF-8 bytes (one file-system name component). */
export const MAX_BRANCH_NAME_BYTES = 255;
/** Longest file path accepted, in UTF-8 bytes. */
export const MAX_FILE_PATH_BYTES = 4096;
/** Longest single path segment (file or directory name), in UTF-8 bytes. */
export const MAX_PATH_SEGMENT_BYTES = 255;

// ASCII control characters, DEL, and the C1 controls (git itself only refuses the first two in
// ref names, and only NUL in paths).
const CONTROL_CHARS = /[\u0000-\u001f\u007f\u0080-\u009f]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REF_FORBIDDEN_CHARS = /[ ~^:?*[\\]/;

const utf8Length = (s: string) => Buffer.byteLength(s, 'utf8');

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
    return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
  if (ch === ' ') return 'a space';
  return `"${ch}"`;
}

/** Why a branch name is unacceptable, or null when it is fine. */
export function branchNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'must be a string';
  if (name.length === 0) return 'must not be empty';
  if (LONE_SURROGATE.test(name)) return 'must be valid Unicode text';
  if (utf8Length(name) > MAX_BRANCH_NAME_BYTES) return `must be at most ${MAX_BRANCH_NAME_BYTES} bytes long`;
  const control = name.match(CONTROL_CHARS);
  if (control) return `must not contain ${describeChar(control[0])}`;
  if (name.startsWith('-')) return 'must not start with "-"';
  if (name === 'HEAD') return 'must not be "HEAD"';
  if (name === '@') return 'must not be "@"';
  if (name.startsWith('refs/')) return 'must not start with "refs/" (give the short branch name)';
  const forbidden = name.match(REF_FORBIDDEN_CHARS);
  if (forbidden) return `must not contain ${describeChar(forbidden[0])}`;
  if (name.includes('..')) return 'must not contain ".."';
  if (name.includes('@{')) return 'must not contain "@{"';
  if (name.startsWith('/')) return 'must not start with "/"';
  if (name.endsWith('/')) return 'must not end with "/"';
  if (name.endsWith('.')) return 'must not end with "."';
  for (const component of name.split('/')) {
    if (component === '') return 'must not contain "//"';
    if (component.startsWith('.')) return `must not have a part starting with "." ("${component}")`;
    if (component.endsWith('.lock')) return `must not have a part ending with ".lock" ("${component}")`;
  }
  return null;
}

/** Returns the branch name unchanged if git (and Aegis) accept it; throws `invalid` otherwise. */
export function validateBranchName(name: string): string {
  const problem = branchNameProblem(name);
  if (problem) throw invalid(`Invalid branch name: it ${problem}.`, { field: 'branch' });
  return name;
}

export function isValidBranchName(name: string): boolean {
  return branchNameProblem(name) === null;
}

// Code points that HFS+ ignores when comparing names, so ".g\u200cit" is ".git" on a Mac
// (git's next_hfs_char).
const HFS_IGNORABLES = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/gu;

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

// A segment that some file system would treat as the repository's own `.git` directory, exactly
// as git's verify_path judges it with core.protectHFS and core.protectNTFS:
//   - any case of ".git" (git refuses it everywhere);
//   - HFS+ (is_hfs_dotgit): ".git" in any ASCII case once the ignorable code points are dropped;
//   - NTFS (is_ntfs_dotgit): ".git" or its 8.3 short name "git~1", in any ASCII case, followed
//     only by dots and spaces (which NTFS drops), and optionally an alternate data stream
//     (".git::$INDEX_ALLOCATION"). NTFS ignores no code points, so ".g\u200cit." is not one.
function isDotGitDisguise(segment: string): boolean {
  if (asciiLower(segment.replace(HFS_IGNORABLES, '')) === '.git') return true;
  return /^(?:\.git|git~1)[. ]*(?::[\s\S]*)?$/.test(asciiLower(segment));
}

// "C:" at the start of a segment: on Windows a drive, wherever it appears in the path ("docs/C:"
// or "a/c:/b" check out as drive-relative paths or fail to check out at all).
const DRIVE_LETTER = /^[A-Za-z]:/;

/** Why a file path is unacceptable, or null when it is fine. */
export function filePathProblem(path: unknown): string | null {
  if (typeof path !== 'string') return 'must be a string';
  if (path.length === 0) return 'must not be empty';
  if (LONE_SURROGATE.test(path)) return 'must be valid Unicode text';
  if (utf8Length(path) > MAX_FILE_PATH_BYTES) return `must be at most ${MAX_FILE_PATH_BYTES} bytes long`;
  const control = path.match(CONTROL_CHARS);
  if (control) return `must not contain ${describeChar(control[0])}`;
  if (path.includes('\\')) return 'must not contain a backslash (use "/" between directories)';
  if (path.startsWith('/')) return 'must be relative (must not start with "/")';
  if (path.endsWith('/')) return 'must not end with "/"';
  for (const segment of path.split('/')) {
    if (segment === '') return 'must not contain "//"';
    if (segment === '.' || segment === '..') return `must not contain a "${segment}" segment`;
    if (DRIVE_LETTER.test(segment)) return `must not contain a drive letter ("${segment.slice(0, 2)}")`;
    if (isDotGitDisguise(segment)) return `must not contain a ".git" segment ("${segment}")`;
    if (utf8Length(segment) > MAX_PATH_SEGMENT_BYTES)
      return `must not have a name longer than ${MAX_PATH_SEGMENT_BYTES} bytes`;
  }
  return null;
}

/** Returns the path unchanged if git would write it into a tree (and Aegis accepts it). */
export function validateFilePath(path: string): string {
  const problem = filePathProblem(path);
  if (problem) {
    const shown = typeof path === 'string' && path.length <= 200 && !CONTROL_CHARS.test(path) ? ` "${path}"` : '';
    throw invalid(`Invalid file path${shown}: it ${problem}.`, { field: 'path' });
  }
  return path;
}

export function isValidFilePath(path: string): boolean {
  return filePathProblem(path) === null;
}
