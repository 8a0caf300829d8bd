// The read path of a mirror, against real git repositories: reads are served from branch heads
// held in memory and a long-lived `git cat-file` process, with the freshness fetch in the
// background — and still see what others push to the origin, see every write Aegis acknowledged
// at once, survive the reader process dying, keep git isolated, and report a failed fetch
// instead of serving what may be stale. Conditions are waited for (expect.poll), never slept on.

import { readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it, vi } from 'vitest';
import * as childProcess from 'node:child_process';
import type { AppError } from '../errors';
import { GitRepository } from './git-repository';
import { markMirrorStale } from './mirror';
import { commitTo, createOrigin, disposeOriginTemplate, failure, tempDir, testLocationPolicy } from './test-fixtures';
import type { GitRepositoryOptions } from './types';

// Counts the git processes Aegis starts (and still starts them).
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, execFile: vi.fn(actual.execFile), spawn: vi.fn(actual.spawn) };
});

const ann = { name: 'Ann Agent', email: 'ann@example.com' };

async function setup(onTestFinished: (fn: () => void) => void, options: Partial<GitRepositoryOptions> = {}) {
  const { dir: root, cleanup } = tempDir();
  onTestFinished(cleanup);
  const { origin, initial } = await createOrigin(root);
  const mirrorDir = path.join(root, 'mirror');
  const repo = new GitRepository({
    mirrorDir,
    remote: { url: origin },
    locationPolicy: testLocationPolicy(root),
    ...options,
  });
  return { root, origin, initial, mirrorDir, repo };
}

async function readText(repo: GitRepository, ref: string, file: string): Promise<string> {
  const result = await repo.readFile(ref, file);
  if (result.type !== 'file') throw new Error(`${file} is a ${result.type}`);
  return result.content.toString('utf8');
}

/** The running `git cat-file` processes of a mirror, by pid. */
function objectReaders(mirrorDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (state !== 'Z' && args.includes('cat-file') && args.includes(`--git-dir=${mirrorDir}`)) {
        pids.push(Number(entry));
      }
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

afterAll(disposeOriginTemplate);

describe('the read path', { timeout: 60_000 }, () => {
  it('starts no git process for reads once the mirror is fetched', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished, { freshnessMs: 60_000 });
    await commitTo(origin, initial, { 'src/deep/file.txt': 'deep\n', 'run.sh': '#!/bin/sh\n' }, { branch: 'feature' });
    await readText(repo, 'main', 'README.md'); // the first read fetches and starts the reader
    const spawned = () =>
      vi.mocked(childProcess.execFile).mock.calls.length + vi.mocked(childProcess.spawn).mock.calls.length;
    const before = spawned();
    for (let i = 0; i < 10; i++) {
      expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
      expect(await readText(repo, 'feature', 'src/deep/file.txt')).toBe('deep\n');
      expect((await repo.readFile('feature', 'src')).type).toBe('directory');
      expect((await repo.readFile(initial.slice(0, 10), '/')).type).toBe('directory');
      expect((await repo.listBranches()).map((b) => b.name)).toEqual(['feature', 'main']);
      expect(await repo.headOf('main')).toBe(initial);
    }
    expect(spawned() - before).toBe(0);
    // The count is real: a fetch does start git.
    await repo.sync();
    expect(spawned() - before).toBeGreaterThan(0);
  });

  it('sees a push made outside Aegis, fetched in the background', async ({ expect, onTestFinished }) => {
    // freshnessMs 0: every read starts a background fetch if none is running; none waits for it.
    const { origin, initial, repo } = await setup(onTestFinished, { freshnessMs: 0 });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    const moved = await commitTo(origin, initial, { 'README.md': '# Moved outside\n' });
    await commitTo(origin, initial, { 'x.txt': 'x\n' }, { branch: 'outsider/new' });
    await expect.poll(() => readText(repo, 'main', 'README.md'), { timeout: 30_000 }).toBe('# Moved outside\n');
    await expect.poll(() => repo.headOf('main'), { timeout: 30_000 }).toBe(moved);
    await expect
      .poll(async () => (await repo.listBranches()).map((b) => b.name), { timeout: 30_000 })
      .toEqual(['main', 'outsider/new']);
  });

  it('shows a write through Aegis to the very next read, also while a background fetch runs', async ({
    expect,
    onTestFinished,
  }) => {
    const { repo } = await setup(onTestFinished, { freshnessMs: 60_000 });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    const pushed = await repo.pushFiles({
      branch: 'main',
      message: 'Update README',
      author: ann,
      files: [{ path: 'README.md', content: '# Written by Aegis\n' }],
    });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Written by Aegis\n');
    expect(await repo.headOf('main')).toBe(pushed.commitSha);

    const created = await repo.createBranch('aegis/next', 'main');
    expect(await repo.listBranches()).toEqual([created, { name: 'main', sha: pushed.commitSha }]);
    await repo.deleteBranch('aegis/next');
    expect(await repo.headOf('aegis/next')).toBeNull();

    // Every read here starts a background fetch; the write that follows must still win.
    const { repo: busy } = await setup(onTestFinished, { freshnessMs: 0 });
    for (let i = 0; i < 5; i++) {
      await readText(busy, 'main', 'README.md');
      const result = await busy.pushFiles({
        branch: 'main',
        message: `Write ${i}`,
        author: ann,
        files: [{ path: 'README.md', content: `# Write ${i}\n` }],
      });
      expect(await readText(busy, 'main', 'README.md')).toBe(`# Write ${i}\n`);
      expect((await busy.listBranches()).find((b) => b.name === 'main')?.sha).toBe(result.commitSha);
    }
  });

  it('fetches before the next read when told another instance moved a branch', async ({ expect, onTestFinished }) => {
    const moved: string[] = [];
    const { origin, initial, repo, mirrorDir } = await setup(onTestFinished, {
      freshnessMs: 60_000,
      onBranchMoved: async (branch) => void moved.push(branch),
    });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    // As if another instance had pushed, and announced it.
    await commitTo(origin, initial, { 'README.md': '# Pushed by another instance\n' });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    markMirrorStale(mirrorDir);
    expect(await readText(repo, 'main', 'README.md')).toBe('# Pushed by another instance\n');
    // This instance's own writes are announced before they are acknowledged.
    await repo.createBranch('aegis/announced', 'main');
    expect(moved).toEqual(['aegis/announced']);
  });

  it('replaces a killed cat-file process, which runs isolated like every git process', async ({
    expect,
    onTestFinished,
  }) => {
    const { repo, mirrorDir } = await setup(onTestFinished, { freshnessMs: 60_000 });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    const [first, ...others] = objectReaders(mirrorDir);
    expect(first).toBeGreaterThan(0);
    expect(others).toEqual([]);

    const environ = Object.fromEntries(
      readFileSync(`/proc/${first}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    expect(environ).toMatchObject({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_ALLOW_PROTOCOL: '' });
    expect(environ.HOME).toMatch(/aegis-git-home-/);
    expect(environ.SSH_AUTH_SOCK).toBeUndefined();
    const args = readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0');
    expect(args).toEqual(expect.arrayContaining(['credential.helper=', 'core.hooksPath=/dev/null']));

    process.kill(first, 'SIGKILL');
    // The very next read works (on a new process), whether or not the death was noticed yet.
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    expect((await repo.readFile('main', 'src')).type).toBe('directory');
    await expect.poll(() => objectReaders(mirrorDir)).toHaveLength(1);
    expect(objectReaders(mirrorDir)[0]).not.toBe(first);
  });

  it('reports a failed fetch instead of serving what may be stale, and recovers', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, repo } = await setup(onTestFinished, { freshnessMs: 0 });
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
    renameSync(origin, `${origin}-gone`);
    // The background fetch started by a read fails; from then on reads wait for a fetch and fail.
    await expect
      .poll(
        () =>
          readText(repo, 'main', 'README.md').then(
            () => 'served',
            (error: AppError) => error.code,
          ),
        {
          timeout: 30_000,
        },
      )
      .toBe('unavailable');
    expect((await failure(repo.listBranches())).code).toBe('unavailable');
    renameSync(`${origin}-gone`, origin);
    expect(await readText(repo, 'main', 'README.md')).toBe('# Demo\n');
  });
});
