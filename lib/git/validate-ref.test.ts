// Branch-name and file-path validation, checked against the local git as the oracle:
// `git check-ref-format --branch` for branches, and `git update-index --add --cacheinfo` with
// core.protectNTFS/core.protectHFS for paths. Aegis may be stricter than git, never looser.

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
  const names = [...new Set([...explicit, ...generated, ...fuzzed])];

  // Where Aegis is deliberately stricter than git.
  const stricterThanGit = (name: string) =>
    name === '@' ||
    name.startsWith('refs/') ||
    Buffer.byteLength(name) > MAX_BRANCH_NAME_BYTES ||
    /[\u0080-\u009f]/.test(name);

  // One git process per name (check-ref-format takes one), so allow for a busy machine.
  it(`agrees with git check-ref-format --branch on ${names.length} names`, { timeout: 60_000 }, async () => {
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
  const paths = [...new Set([...explicit, ...fromDisguises, ...generated, ...fuzzed])];

  const stricterThanGit = (p: string) =>
    /[\\\u0001-\u001f\u007f-\u009f]/.test(p) ||
    /^[A-Za-z]:/.test(p) ||
    Buffer.byteLength(p) > 4096 ||
    p.split('/').some((s) => Buffer.byteLength(s) > 255) ||
    /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/.test(p);

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
    for (const p of ['.gitignore', '.github/workflows/ci.yml', 'docs/.gitkeep', 'ab:c', 'x/a:b'])
      expect(isValidFilePath(p), p).toBe(true);
    // A colon after a single leading letter reads as a Windows drive, so Aegis refuses it.
    expect(isValidFilePath('a:b')).toBe(false);
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
