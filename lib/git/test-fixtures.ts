// Test-only helpers for lib/git tests: real bare "origin" repositories in temporary
// directories, and commits made directly on them (as someone outside Aegis would push).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LocationPolicy } from './location-policy';
import { AppError } from '../errors';

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  NODE_ENV: process.env.NODE_ENV,
  PATH: process.env.PATH ?? '',
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Outsider',
  GIT_AUTHOR_EMAIL: 'outsider@example.com',
  GIT_COMMITTER_NAME: 'Outsider',
  GIT_COMMITTER_EMAIL: 'outsider@example.com',
  LC_ALL: 'C',
  ...extra,
});

/** Runs git and resolves with its stdout (without the final newline); rejects on failure. */
export function git(
  cwd: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env: env(options.env), encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git ${args.join(' ')} failed: ${stderr}`));
      else resolve(stdout.replace(/\n$/, ''));
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** A location policy for tests: local repositories under `root`, remote URLs over https only. */
export function testLocationPolicy(root: string, overrides: Partial<LocationPolicy> = {}): LocationPolicy {
  return {
    repositoryRoots: [root],
    forbiddenPaths: [],
    remoteSchemes: ['https'],
    allowPrivateNetworks: false,
    ...overrides,
  };
}

export function tempDir(prefix = 'aegis-git-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.isAbsolute(prefix) ? prefix : path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Commits `files` (path → content, or null to delete) on top of `parent` in the bare repository
 * `repo`, and moves `branch` (default main) there unless it is null. Returns the commit id.
 */
export async function commitTo(
  repo: string,
  parent: string | null,
  files: Record<string, string | null>,
  options: { message?: string; branch?: string | null; executable?: string[] } = {},
): Promise<string> {
  const index = path.join(repo, `fixture-index-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const indexEnv = { GIT_INDEX_FILE: index };
  try {
    await git(repo, parent ? ['read-tree', parent] : ['read-tree', '--empty'], { env: indexEnv });
    let info = '';
    for (const [file, content] of Object.entries(files)) {
      if (content === null) {
        info += `0 ${'0'.repeat(40)}\t${file}\0`;
      } else {
        const blob = await git(repo, ['hash-object', '-w', '--stdin'], { input: content });
        const mode = options.executable?.includes(file) ? '100755' : '100644';
        info += `${mode} ${blob}\t${file}\0`;
      }
    }
    await git(repo, ['update-index', '-z', '--index-info'], { env: indexEnv, input: info });
    const tree = await git(repo, ['write-tree'], { env: indexEnv });
    const sha = await git(repo, [
      'commit-tree',
      tree,
      ...(parent ? ['-p', parent] : []),
      '-m',
      options.message ?? 'outside commit',
    ]);
    const branch = options.branch === undefined ? 'main' : options.branch;
    if (branch) await git(repo, ['update-ref', `refs/heads/${branch}`, sha]);
    return sha;
  } finally {
    rmSync(index, { force: true });
  }
}

let template: Promise<{ origin: string; initial: string; cleanup: () => void }> | undefined;

/** Removes the template createOrigin copies from (call in afterAll). */
export async function disposeOriginTemplate(): Promise<void> {
  const made = template;
  template = undefined;
  if (made) (await made).cleanup();
}

/**
 * A bare repository with one commit on `main`: README.md and src/app.ts. Made once per test
 * process and copied, which saves a dozen git processes per test.
 */
export async function createOrigin(root: string, name = 'origin.git'): Promise<{ origin: string; initial: string }> {
  template ??= (async () => {
    const { dir, cleanup } = tempDir('aegis-origin-template-');
    const origin = path.join(dir, 'origin.git');
    await git(dir, ['init', '--bare', '--quiet', '--initial-branch=main', origin]);
    const initial = await commitTo(
      origin,
      null,
      { 'README.md': '# Demo\n', 'src/app.ts': 'one\ntwo\nthree\n' },
      { message: 'Initial commit' },
    );
    return { origin, initial, cleanup };
  })();
  const { origin: source, initial } = await template;
  const origin = path.join(root, name);
  await cp(source, origin, { recursive: true });
  return { origin, initial };
}

/** The commit a branch of `repo` points at, or null. */
export async function head(repo: string, branch = 'main'): Promise<string | null> {
  return git(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).catch(() => null);
}

/** A file's content at `ref` in `repo` (without its final newline), or null. */
export async function show(repo: string, ref: string, file: string): Promise<string | null> {
  return git(repo, ['show', `${ref}:${file}`]).catch(() => null);
}

/**
 * Installs a pre-receive hook on `repo` that, on the first push only, moves `branch` to
 * `sha` just before the pushed update lands — exactly as if someone else had pushed first.
 * (Ref updates are refused inside the push's object quarantine, hence the env -u.)
 */
export function raceNextPush(repo: string, branch: string, sha: string): void {
  writeFileSync(
    path.join(repo, 'hooks', 'pre-receive'),
    `#!/bin/sh
cat >/dev/null
if [ ! -f raced ]; then
  touch raced
  env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \\
    git update-ref refs/heads/${branch} ${sha}
fi
exit 0
`,
    { mode: 0o755 },
  );
}

/** The AppError a call fails with (any other error, or none, fails the test). */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
