// Glob matching for policies: branch patterns with GitHub branch-protection semantics and
// changed-path patterns with gitignore-like semantics. Both are compiled by picomatch once and
// cached, because the gateway evaluates the same few patterns on every call.
//
// Branch patterns (protected branches, rule `branches`/`baseBranches`, the room's branch pattern):
//   - `*` and `?` never cross `/`; `[abc]`, `[a-z]`, `[!a]`/`[^a]` are character classes;
//   - `**` as a whole segment crosses any number of segments, including none in the middle
//     (`release/**/*` covers `release/x` and `aegis/**` covers `aegis/fix/login`);
//   - a trailing `/**` needs at least one segment below it: `aegis/**` does NOT cover `aegis`
//     itself (GitHub's fnmatch does not either, and a branch `aegis` next to `aegis/x` cannot
//     exist in git anyway);
//   - no braces, no negation, no extglobs, no regex groups: `{ } ( ) | ! + @` are literal, so
//     what a team copies from GitHub's settings page behaves the same here.
// Path patterns (rule `paths`, the sensitive-path list) follow .gitignore:
//   - a pattern without a `/` (other than a trailing one) matches a file or directory name at any
//     depth (`*.pem`, `CODEOWNERS`, `terraform`);
//   - a pattern with a `/` in it is anchored at the repository root (a leading `/` only anchors);
//   - a pattern that names a directory covers everything below it (`k8s` covers `k8s/app.yaml`);
//     a trailing `/` means "directories only";
//   - dotfiles match like any other file (`**/*.yml` matches `.github/workflows/ci.yml`);
//   - the same literal-character rules as branch patterns.

import picomatch from 'picomatch';

import { invalid } from '../errors';

const PICOMATCH_OPTIONS = {
  dot: true,
  nobrace: true,
  noextglob: true,
  nonegate: true,
  windows: false,
  posix: false,
  // patterns are user input: keep the compiled regex bounded
  maxLength: 1024,
} as const;

export const MAX_PATTERN_LENGTH = 256;

// Bounded cache: room policies only hold a few dozen patterns, but the simulator and the policy
// editor may compile arbitrary ones; evict the oldest entries rather than grow without limit.
const CACHE_LIMIT = 2000;
const branchCache = new Map<string, RegExp>();
const pathCache = new Map<string, PathMatcher>();

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, value);
  return value;
}

/**
 * Rewrites a user pattern into picomatch syntax with only `*`, `**`, `?`, `[...]` and backslash
 * escapes left active; every other punctuation character is escaped so it matches itself.
 */
function toPicomatchSyntax(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) {
        out += '\\\\';
      } else {
        out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
        i++;
      }
      continue;
    }
    if (ch === '[') {
      const close = findClassEnd(pattern, i);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      // fnmatch writes negated classes as [!...]; picomatch (with negation off) wants [^...]
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      // a class never matches the separator, exactly like `?`
      if (body.startsWith('^')) body = `^/${body.slice(1)}`;
      out += `[${body}]`;
      i = close;
      continue;
    }
    if (ch === '*' || ch === '?' || ch === '/' || /[A-Za-z0-9_.-]/.test(ch) || ch.charCodeAt(0) > 127) {
      out += ch;
      continue;
    }
    out += `\\${ch}`;
  }
  return out;
}

/** Index of the `]` closing a class opened at `open`, or -1 when the class is not closed. */
function findClassEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++; // a leading `]` is a literal member
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (pattern[i] === '/') return -1; // a class cannot span segments
    if (pattern[i] === ']') return i;
  }
  return -1;
}

/** `x/**` needs at least one segment below `x`; picomatch would also let it match `x`. */
function requireSegmentAfterTrailingGlobstar(pattern: string): string {
  return pattern.endsWith('/**') ? `${pattern}/*` : pattern;
}

function compile(glob: string): RegExp {
  // The regex picomatch builds, tested directly: picomatch's matcher function only adds
  // Windows-path and basename handling on top, and both are off or done here.
  return picomatch.makeRe(glob, PICOMATCH_OPTIONS);
}

function assertPatternShape(pattern: unknown, kind: 'branch' | 'path'): asserts pattern is string {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw invalid(`A ${kind} pattern must be a non-empty string`);
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw invalid(`A ${kind} pattern must be at most ${MAX_PATTERN_LENGTH} characters`);
  }
}

/**
 * Why a branch pattern is unusable, or null when it is fine. Used by the policy schema so a bad
 * pattern is refused when the policy is saved, not discovered during a call.
 */
export function branchPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (/\s/.test(pattern)) return 'must not contain whitespace (branch names cannot)';
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'must not contain control characters';
  if (pattern.startsWith('/') || pattern.endsWith('/')) return 'must not start or end with "/"';
  if (pattern.includes('//')) return 'must not contain "//"';
  try {
    compileBranchPattern(pattern);
  } catch {
    return 'is not a valid pattern';
  }
  return null;
}

/** Why a path pattern is unusable, or null when it is fine. */
export function pathPatternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(pattern)) return 'must not contain control characters';
  if (pattern === '/' || pattern.includes('//')) return 'must not contain "//" or be only "/"';
  try {
    compilePathPattern(pattern);
  } catch {
    return 'is not a valid pattern';
  }
  return null;
}

function compileBranchPattern(pattern: string): RegExp {
  const cached = branchCache.get(pattern);
  if (cached) return cached;
  const glob = requireSegmentAfterTrailingGlobstar(toPicomatchSyntax(pattern));
  return remember(branchCache, pattern, compile(glob));
}

type PathMatcher = {
  regex: RegExp;
  /** Has a `/` (other than a trailing one): matched against the path from the root. */
  anchored: boolean;
  /** Ends with `/`: matches directories only. */
  directoryOnly: boolean;
};

function compilePathPattern(pattern: string): PathMatcher {
  const cached = pathCache.get(pattern);
  if (cached) return cached;
  let body = pattern;
  const directoryOnly = body.endsWith('/');
  if (directoryOnly) body = body.slice(0, -1);
  const anchored = body.includes('/');
  if (body.startsWith('/')) body = body.slice(1);
  const glob = requireSegmentAfterTrailingGlobstar(toPicomatchSyntax(body));
  return remember(pathCache, pattern, { regex: compile(glob), anchored, directoryOnly });
}

/** A path split once, for testing many patterns against it. */
type PathParts = {
  path: string;
  /** a/b/c.txt → [a, b, c.txt] */
  segments: string[];
  /** The directories containing the path: a/b/c.txt → [a, a/b] */
  directories: string[];
};

function splitPath(path: string): PathParts {
  const segments = path.split('/');
  const directories: string[] = [];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    directories.push(path.slice(0, slash));
  }
  return { path, segments, directories };
}

function matchesParts({ regex, anchored, directoryOnly }: PathMatcher, parts: PathParts): boolean {
  if (anchored) {
    if (!directoryOnly && regex.test(parts.path)) return true;
    return parts.directories.some((directory) => regex.test(directory));
  }
  // A slash-free pattern names a file or directory at any depth: test every segment (the last
  // one is the file itself, which a directory-only pattern skips).
  const count = directoryOnly ? parts.segments.length - 1 : parts.segments.length;
  for (let i = 0; i < count; i++) {
    if (regex.test(parts.segments[i]!)) return true;
  }
  return false;
}

/**
 * Does `branch` match `pattern` (GitHub branch-protection semantics)? Throws an `invalid_input`
 * AppError for a pattern that is not a non-empty string; policy evaluation turns that into a
 * fail-closed decision.
 */
export function matchBranch(pattern: string, branch: string): boolean {
  assertPatternShape(pattern, 'branch');
  if (typeof branch !== 'string' || branch.length === 0) return false;
  return compileBranchPattern(pattern).test(branch);
}

/** Does `branch` match at least one of `patterns`? */
export function matchAnyBranch(patterns: readonly string[], branch: string): boolean {
  return patterns.some((pattern) => matchBranch(pattern, branch));
}

/**
 * Does the repository path `path` (relative, `/`-separated, no leading `/`) match `pattern`
 * (gitignore-like)? A pattern matches a path when it matches the path itself or one of the
 * directories that contain it.
 */
export function matchPath(pattern: string, path: string): boolean {
  assertPatternShape(pattern, 'path');
  if (typeof path !== 'string' || path.length === 0) return false;
  return matchesParts(compilePathPattern(pattern), splitPath(path));
}

/** Does `path` match at least one of `patterns`? */
export function matchAnyPath(patterns: readonly string[], path: string): boolean {
  return firstMatchingPathPattern(patterns, path) !== -1;
}

/** The index of the first of `patterns` that `path` matches, or -1. Splits the path only once. */
export function firstMatchingPathPattern(patterns: readonly string[], path: string): number {
  if (typeof path !== 'string' || path.length === 0) return -1;
  const parts = splitPath(path);
  for (let i = 0; i < patterns.length; i++) {
    const pattern = patterns[i]!;
    assertPatternShape(pattern, 'path');
    if (matchesParts(compilePathPattern(pattern), parts)) return i;
  }
  return -1;
}
