// Branch-name and file-path validation, checked against the local git as the oracle:
// `git check-ref-format --branch` for branches, and `git update-index` (which checks each path as
// `--add` does, with git's verify_path) with core.protectNTFS/core.protectHFS for paths, on
// generated names: hand-picked edge cases, every ASCII character in telling positions, fragments
// combined at random, and random Unicode text. Aegis may be stricter than git only in the
// documented ways (listed in `stricterThanGit` below), never looser.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  MAX_BRANCH_NAME_BYTES,
  isValidBranchName,
  isValidFilePath,
  validateBranchName,
  validateFilePath,
} from './validate-ref';

let scratch: string;
let repo: string;
let blob: string;

function git(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; input?: string },
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: {
          NODE_ENV: process.env.NODE_ENV,
          PATH: process.env.PATH ?? '',
          HOME: scratch,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CEILING_DIRECTORIES: path.dirname(scratch),
          LC_ALL: 'C',
          ...opts.env,
        },
      },
      (error, stdout) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout: String(stdout) }),
    );
    child.stdin?.on('error', () => {}); // git may exit without reading its input
    child.stdin?.end(opts.input ?? '');
  });
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

// Deterministic pseudo-random names built from the pieces that trip git's rules.
function fuzz(pieces: string[], count: number, seed: number): string[] {
  let s = seed;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rand() * 6);
    let name = '';
    for (let j = 0; j < n; j++) name += pieces[Math.floor(rand() * pieces.length)];
    out.push(name);
  }
  return out;
}

// Random text from the code points that matter to git's rules and to file systems: ASCII, C1
// controls, HFS+ ignorables, look-alikes of "." and "/" (fullwidth, one-dot leader), letters whose
// case folding leaves ASCII (Kelvin sign, dotted I), combining marks, CJK, astral emoji.
const UNICODE_POOLS: [number, number][] = [
  [0x20, 0x7e],
  [0x20, 0x7e],
  [0x01, 0x1f],
  [0x7f, 0x9f],
  [0xa0, 0xff],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0xfeff, 0xfeff],
  [0xff0e, 0xff0f],
  [0x2024, 0x2024],
  [0x212a, 0x212a],
  [0x0130, 0x0131],
  [0x0300, 0x036f],
  [0x4e00, 0x4e0f],
  [0x1f600, 0x1f60f],
];

function randomUnicode(count: number, seed: number, fragments: string[]): string[] {
  let s = seed;
  const rand = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = 1 + Math.floor(rand() * 8);
    let name = '';
    for (let j = 0; j < length; j++) {
      if (rand() < 0.3) {
        name += pick(fragments);
      } else {
        const [from, to] = pick(UNICODE_POOLS);
        name += String.fromCodePoint(from + Math.floor(rand() * (to - from + 1)));
      }
    }
    out.push(name);
  }
  return out;
}

// Every ASCII character but NUL (argv cannot carry it) and the letters and digits, which all
// behave like "a".
const asciiChars = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).filter(
  (c) => !/[A-Za-z0-9]/.test(c),
);

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'aegis-validate-'));
  repo = path.join(scratch, 'repo.git');
  await git(['init', '--bare', '--quiet', repo], { cwd: scratch });
  blob = (await git(['hash-object', '-w', '--stdin'], { cwd: repo, input: 'x\n' })).stdout.trim();
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('validateBranchName', () => {
  const explicit = [
    'main',
    'feature/x',
    'aegis/fix/login',
    'a/b/c',
    'a-b',
    'a_b',
    'a+b',
    'a@b',
    'a.b',
    'é',
    '日本語/ブランチ',
    'a\u200cb',
    'a..b',
    '-oops',
    '--',
    'a/.b',
    '.a',
    'a.lock',
    'a/b.lock',
    'a.lock/b',
    'a/.lock',
    'lock',
    'a.lok',
    '.lock',
    'a//b',
    '/a',
    'a/',
    'x/',
    'a.',
    'a/b.',
    '.',
    '..',
    '...',
    'a/./b',
    'a/../b',
    './a',
    '..a',
    'a..',
    'a/..b',
    '@',
    '@{',
    'a@{b',
    '@{-1}',
    '@@',
    '@a',
    'a@',
    '{}',
    'a{b}',
    'a}b',
    'a b',
    ' a',
    'a ',
    'a~b',
    'a^b',
    'a:b',
    'a?b',
    'a*b',
    'a[b',
    'a]b',
    'a\\b',
    'a\tb',
    'a\nb',
    'a\x7fb',
    'a\x01',
    '\x1f',
    'a\u0085b',
    'a\u00a0b',
    'HEAD',
    'head',
    'HEAD/x',
    'x/HEAD',
    'refs/heads/x',
    'refs',
    'refsx',
    'refs/x',
    'A'.repeat(MAX_BRANCH_NAME_BYTES),
    'A'.repeat(MAX_BRANCH_NAME_BYTES + 1),
    'é'.repeat(128),
    '',
  ];
  const generated = asciiChars.flatMap((c) => [`a${c}b`, `${c}a`, `a/${c}`]);
  const fuzzed = fuzz(
    ['a', 'b', '.', '/', '-', '@', '{', '}', 'lock', '..', ' ', '~', 'é', 'HEAD', 'refs/', '\x7f', ':', '*'],
    120,
    7,
  );
  const unicode = randomUnicode(300, 23, ['/', '.', '..', '@{', '.lock', '-', 'HEAD', 'refs/', '~', '^', ':', '\\']);
  const names = [...new Set([...explicit, ...generated, ...fuzzed, ...unicode])].filter((n) => !n.includes('\0'));

  // Where Aegis is deliberately stricter than git.
  const stricterThanGit = (name: string) =>
    name === '@' ||
    name.startsWith('refs/') ||
    Buffer.byteLength(name) > MAX_BRANCH_NAME_BYTES ||
    /[\u0080-\u009f]/.test(name);

  // One git process per name (check-ref-format takes one), so allow for a busy machine.
  it(`agrees with git check-ref-format --branch on ${names.length} names`, { timeout: 120_000 }, async () => {
    const verdicts = await mapLimit(
      names,
      8,
      async (name) => (await git(['check-ref-format', '--branch', name], { cwd: scratch })).code === 0,
    );
    const disagreements = names
      .map((name, i) => ({ name, ours: isValidBranchName(name), git: verdicts[i] }))
      .filter((v) => v.ours !== v.git && !(v.git && !v.ours && stricterThanGit(v.name)));
    expect(disagreements).toEqual([]);
    // And the stricter cases really are refused by Aegis.
    for (const name of ['@', 'refs/heads/x', 'A'.repeat(MAX_BRANCH_NAME_BYTES + 1), 'a\u0085b'])
      expect(isValidBranchName(name)).toBe(false);
  });

  it('refuses what cannot even reach git', () => {
    expect(isValidBranchName('a\0b')).toBe(false);
    expect(isValidBranchName('a\ud800b')).toBe(false);
    expect(isValidBranchName(42 as unknown as string)).toBe(false);
  });

  it('throws invalid_input naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['a..b', /must not contain "\.\."/],
      ['-oops', /must not start with "-"/],
      ['a/.b', /starting with "\."/],
      ['a.lock', /ending with "\.lock"/],
      ['a//b', /"\/\/"/],
      ['@{', /"@\{"/],
      ['a b', /a space/],
      ['a~b', /"~"/],
      ['HEAD', /"HEAD"/],
      ['refs/heads/main', /refs\//],
      ['a\x01', /control character U\+0001/],
      ['', /empty/],
      ['x/', /end with "\/"/],
    ];
    for (const [name, message] of cases) {
      let error: unknown;
      try {
        validateBranchName(name);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_input');
      expect((error as AppError).message).toMatch(message);
    }
    expect(validateBranchName('aegis/fix-login')).toBe('aegis/fix-login');
  });
});

describe('validateFilePath', () => {
  const disguises = [
    '.git',
    '.GIT',
    '.Git',
    'git~1',
    'GIT~1',
    'Git~1',
    '.git.',
    '.git ',
    '.git. .',
    '.git..',
    '.git::$INDEX_ALLOCATION',
    '.git:stream',
    '.g\u200cit',
    '\u200c.git',
    '.git\u200d',
    '\ufeff.git',
    '.gi\u202et',
    '.G\u206aIT',
    '.gitx',
    'x.git',
    '.gitmodules',
    '.gitignore',
    '.git~1',
    'git~2',
    'git~10',
    'xgit~1',
    '.g it',
    'git~1.',
    'git~1 ',
  ];
  const explicit = [
    'README.md',
    'src/index.ts',
    'a/b/c/d.txt',
    '.github/workflows/ci.yml',
    'é/日本.txt',
    'a b/c d',
    'a:b',
    '...',
    '..a',
    'a..',
    '.a',
    'a.',
    'a ',
    ' a',
    '-rf',
    '*',
    '?',
    '[x]',
    '~',
    'a~b',
    '',
    '.',
    '..',
    './a',
    'a/.',
    'a/..',
    '../a',
    'a/../b',
    'a/./b',
    '/a',
    'a/',
    'a//b',
    '//',
    '/',
    'a\\b',
    '\\a',
    'C:',
    'C:x',
    'c:/x',
    'a/C:x',
    'a\x01b',
    'a\nb',
    'a\tb',
    'a\x7f',
    'a\u0085',
    'a'.repeat(255),
    'a'.repeat(256),
    `${'a/'.repeat(2047)}a`,
  ];
  const fromDisguises = disguises.flatMap((d) =>
    ['', 'a/', 'a/b/'].flatMap((p) => ['', '/x'].map((s) => `${p}${d}${s}`)),
  );
  const generated = asciiChars.flatMap((c) => [`a${c}b`, c, `.git${c}`, `a/${c}`, `${c}/a`, `a/.git${c}/b`]);
  const fuzzed = fuzz(
    ['a', '.', '/', '..', '.git', 'git~1', ' ', '\\', 'C:', '~', '\u200c', 'é', ':', '-', 'GIT'],
    2000,
    11,
  );
  const unicode = randomUnicode(3000, 29, [
    '/',
    '.',
    '..',
    '.git',
    '.GIT',
    '.Git',
    'git~1',
    'GIT~1',
    '.git.',
    '.git ',
    '.g\u200cit',
    '\ufeff',
    ' ',
    '\\',
    'C:',
    'c:',
    'z:',
    ':',
    '::$INDEX_ALLOCATION',
    '~',
    '.lock',
    '@{',
  ]);
  const paths = [...new Set([...explicit, ...fromDisguises, ...generated, ...fuzzed, ...unicode])].filter(
    (p) => !p.includes('\0'),
  );

  // The documented ways Aegis is stricter than git, and no others: backslashes, a drive letter
  // at the start of any segment, control characters, and the length limits.
  const stricterThanGit = (p: string) =>
    /[\\\u0001-\u001f\u007f-\u009f]/.test(p) ||
    p.split('/').some((s) => /^[A-Za-z]:/.test(s)) ||
    Buffer.byteLength(p) > 4096 ||
    p.split('/').some((s) => Buffer.byteLength(s) > 255);

  it(`agrees with git update-index --index-info (protectNTFS + protectHFS) on ${paths.length} paths`, async () => {
    // One process for all paths: with --index-info, git checks each path (verify_path), says
    // "Ignoring path …" for the ones it refuses and, with --verbose, "add '…'" for the others, in
    // input order.
    const input = paths.map((p) => `100644 ${blob}\t${p}\0`).join('');
    const result = await git(
      ['-c', 'core.protectNTFS=true', '-c', 'core.protectHFS=true', 'update-index', '--verbose', '-z', '--index-info'],
      { cwd: repo, env: { GIT_DIR: repo, GIT_INDEX_FILE: path.join(scratch, 'oracle-index') }, input },
    );
    expect(result.code).toBe(0);
    let cursor = 0;
    const verdicts = paths.map((p) => {
      const line = `add '${p}'\n`;
      if (!result.stdout.startsWith(line, cursor)) return false;
      cursor += line.length;
      return true;
    });
    expect(cursor).toBe(result.stdout.length);
    const disagreements = paths
      .map((p, i) => ({ path: p, ours: isValidFilePath(p), git: verdicts[i] }))
      .filter((v) => v.ours !== v.git && !(v.git && !v.ours && stricterThanGit(v.path)));
    expect(disagreements).toEqual([]);
  });

  it('refuses every .git disguise, backslashes, drive letters and control characters', () => {
    for (const d of disguises.filter(
      (d) =>
        !['.gitx', 'x.git', '.gitmodules', '.gitignore', '.git~1', 'git~2', 'git~10', 'xgit~1', '.g it'].includes(d),
    )) {
      expect(isValidFilePath(d), d).toBe(false);
      expect(isValidFilePath(`src/${d}/config`), d).toBe(false);
    }
    for (const p of ['a\\b', 'C:x', 'c:/x', 'a\0b', 'a\x1bb', 'a\u0085', 'a\ud800'])
      expect(isValidFilePath(p), JSON.stringify(p)).toBe(false);
    for (const p of ['.gitignore', '.github/workflows/ci.yml', 'docs/.gitkeep', 'ab:c', 'x/ab:c', ':x.txt'])
      expect(isValidFilePath(p), p).toBe(true);
    // A colon after a single letter reads as a Windows drive, at the start of any segment.
    for (const p of ['a:b', 'x/a:b', 'docs/C:', ':x.txt/C:', 'a/c:/b', 'a/b/Z:file'])
      expect(isValidFilePath(p), p).toBe(false);
  });

  it('agrees with git on HFS+ ignorables: a disguise only where some file system sees ".git"', () => {
    // HFS+ drops the ignorables but keeps trailing dots; NTFS drops trailing dots but keeps the
    // ignorables: neither sees ".git" in these, and git accepts them.
    for (const p of ['.g\u200cit.', '.g\u200cit ', 'gi\u200ct~1', '.git\u200c.', 'x/.g\u200cit::$DATA'])
      expect(isValidFilePath(p), JSON.stringify(p)).toBe(true);
    for (const p of ['.g\u200cit', '\ufeff.GIT/x', '.GIT.', 'GIT~1::$INDEX_ALLOCATION', 'a/.git. . /b'])
      expect(isValidFilePath(p), JSON.stringify(p)).toBe(false);
  });

  it('throws invalid_input naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['../etc/passwd', /"\.\." segment/],
      ['/etc/passwd', /relative/],
      ['a//b', /"\/\/"/],
      ['src/.GIT/config', /"\.git" segment/],
      ['GIT~1/config', /"\.git" segment/],
      ['a\\b', /backslash/],
      ['C:x', /drive letter/],
      ['docs/C:', /drive letter \("C:"\)/],
      ['a\x00b', /control character U\+0000/],
      ['a/', /end with "\/"/],
      ['', /empty/],
      [`${'a/'.repeat(2100)}a`, /at most 4096 bytes/],
    ];
    for (const [p, message] of cases) {
      let error: unknown;
      try {
        validateFilePath(p);
      } catch (e) {
        error = e;
      }
      expect(error, p).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_input');
      expect((error as AppError).message).toMatch(message);
    }
    expect(validateFilePath('src/index.ts')).toBe('src/index.ts');
  });
});
