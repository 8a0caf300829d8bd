// GitRepository against real git repositories: a bare "origin" with a commit on main, made in
// a temporary directory per test, and Aegis's mirror beside it. Races are made deterministic
// with a pre-receive hook on the origin (see raceNextPush), never with sleeps. Tests run
// concurrently, each on its own directories; the generous timeout is for busy CI machines.

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { checkRemote } from './check-remote';
import { GitRepository } from './git-repository';
import { LOCATION_REFUSED_MESSAGE, type LocationPolicy } from './location-policy';
import {
  commitTo,
  createOrigin,
  disposeOriginTemplate,
  failure,
  git,
  head,
  raceNextPush,
  show,
  tempDir,
  testLocationPolicy,
} from './test-fixtures';
import type { GitRepositoryOptions } from './types';

const ann = { name: 'Ann Agent', email: 'ann@example.com' };

/** A fresh origin (main at `initial`) and a GitRepository mirroring it, removed after the test. */
async function setup(onTestFinished: (fn: () => void) => void) {
  const { dir: root, cleanup } = tempDir();
  onTestFinished(cleanup);
  const { origin, initial } = await createOrigin(root);
  const policy = testLocationPolicy(root);
  const open = (options: Partial<GitRepositoryOptions> = {}, mirror = 'mirror') =>
    new GitRepository({
      mirrorDir: path.join(root, mirror),
      remote: { url: origin },
      locationPolicy: policy,
      ...options,
    });
  const check = (url: string, extra: Partial<LocationPolicy> = {}) =>
    checkRemote({ url }, { policy: { ...policy, ...extra } });
  return { root, origin, initial, policy, open, check, repo: open() };
}

afterAll(disposeOriginTemplate);

describe.concurrent('checkRemote', { timeout: 60_000 }, () => {
  it('lists the branches and default branch of a bare or a non-bare repository', async ({ expect, onTestFinished }) => {
    const { root, origin, initial, policy, check } = await setup(onTestFinished);
    await commitTo(origin, initial, { 'x.txt': 'x\n' }, { branch: 'feature/x' });
    const info = await check(origin);
    expect(info.defaultBranch).toBe('main');
    expect(info.branches.map((b) => b.name)).toEqual(['feature/x', 'main']);
    expect(info.branches.find((b) => b.name === 'main')?.sha).toBe(initial);

    const work = path.join(root, 'work');
    await git(root, ['clone', '--quiet', origin, work]);
    const viaFileUrl = await GitRepository.checkRemote({ url: `file://${work}` }, { policy });
    expect(viaFileUrl.defaultBranch).toBe('main');
  });

  it('says a missing path cannot be reached and a plain directory is not a git repository', async ({
    expect,
    onTestFinished,
  }) => {
    const { root, check } = await setup(onTestFinished);
    const missing = await failure(check(path.join(root, 'nope')));
    expect(missing.code).toBe('invalid_input');
    expect(missing.message).toBe(LOCATION_REFUSED_MESSAGE);

    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    const notRepo = await failure(check(plain));
    expect(notRepo.code).toBe('invalid_input');
    expect(notRepo.message).toMatch(/not a git repository/);
  });

  it('refuses remote helpers, relative paths and option-like URLs without running them', async ({
    expect,
    onTestFinished,
  }) => {
    const { root, check } = await setup(onTestFinished);
    const marker = path.join(root, 'pwned');
    for (const url of [
      `ext::sh -c touch% ${marker}`,
      'relative/path',
      '-uhelp',
      'ftp://example.com/x.git',
      'ssh://-oProxyCommand=x/y',
    ]) {
      const error = await failure(check(url, { remoteSchemes: ['https', 'http'] }));
      expect(error.code).toBe('invalid_input');
    }
    expect(existsSync(marker)).toBe(false);
  });
});

describe.concurrent('other kinds of remote', { timeout: 60_000 }, () => {
  it('writes to a non-bare repository, except to its checked-out branch', async ({ expect, onTestFinished }) => {
    const { root, origin, open } = await setup(onTestFinished);
    const work = path.join(root, 'work');
    await git(root, ['clone', '--quiet', origin, work]);
    const repo = open({ remote: { url: work } }, 'work-mirror');
    const refused = await failure(
      repo.pushFiles({ branch: 'main', files: [{ path: 'x', content: 'x' }], message: 'm', author: ann }),
    );
    expect(refused.code).toBe('conflict');
    expect(refused.message).toMatch(/checked out/);
    const pushed = await repo.pushFiles({
      branch: 'aegis/x',
      createBranchFrom: 'main',
      files: [{ path: 'x', content: 'x' }],
      message: 'm',
      author: ann,
    });
    expect(await git(work, ['rev-parse', 'refs/heads/aegis/x'])).toBe(pushed.commitSha);
    // Nobody's working tree is touched.
    expect(existsSync(path.join(work, 'x'))).toBe(false);
  });

  it('makes the first commit of an empty repository', async ({ expect, onTestFinished }) => {
    const { root, open, check } = await setup(onTestFinished);
    const empty = path.join(root, 'empty.git');
    await git(root, ['init', '--bare', '--quiet', '--initial-branch=main', empty]);
    expect(await check(empty)).toMatchObject({ defaultBranch: null, branches: [] });
    const repo = open({ remote: { url: `file://${empty}` } }, 'empty-mirror');
    const first = await repo.pushFiles({
      branch: 'main',
      files: [{ path: 'README.md', content: 'hi\n' }],
      message: 'First',
      author: ann,
    });
    expect(first).toMatchObject({ parentSha: null, created: true });
    expect(await head(empty)).toBe(first.commitSha);
    expect(await repo.listBranches()).toEqual([{ name: 'main', sha: first.commitSha }]);
  });
});

describe.concurrent('pushFiles', { timeout: 60_000 }, () => {
  it('pushes two files as exactly one commit with the given author and message', async ({ expect, onTestFinished }) => {
    const { origin, initial, open, repo } = await setup(onTestFinished);
    const result = await repo.pushFiles({
      branch: 'main',
      files: [
        { path: 'docs/guide.md', content: '# Guide\n' },
        { path: 'src/app.ts', content: 'one\n2\nthree\nfour\n' },
      ],
      message: 'Add guide and update app',
      author: ann,
    });
    expect(result).toEqual({ commitSha: await head(origin), parentSha: initial, branch: 'main', created: false });
    const log = (await git(origin, ['log', '--format=%H|%P|%an|%ae|%cn|%B', 'main'])).split('\n').filter(Boolean);
    expect(log).toHaveLength(2);
    expect(log[0]).toBe(`${result.commitSha}|${initial}|Ann Agent|ann@example.com|Ann Agent|Add guide and update app`);
    expect((await git(origin, ['diff-tree', '--no-commit-id', '--name-status', '-r', 'main'])).split('\n')).toEqual([
      'A\tdocs/guide.md',
      'M\tsrc/app.ts',
    ]);
    expect(await show(origin, 'main', 'docs/guide.md')).toBe('# Guide');
    // The mirror knows the new head at once, without waiting for a fetch.
    expect(await open({ freshnessMs: 60_000 }).headOf('main')).toBe(result.commitSha);
  });

  it('deletes files, and refuses to delete a file that does not exist', async ({ expect, onTestFinished }) => {
    const { origin, repo } = await setup(onTestFinished);
    const before = await head(origin);
    const missing = await failure(
      repo.pushFiles({ branch: 'main', deletions: ['src/nope.ts'], message: 'rm', author: ann }),
    );
    expect(missing.code).toBe('invalid_input');
    expect(missing.message).toMatch(/no such file/);
    expect(await head(origin)).toBe(before);

    await repo.pushFiles({
      branch: 'main',
      deletions: ['src/app.ts'],
      files: [{ path: 'src/app.js', content: 'x\n' }],
      message: 'Rename',
      author: ann,
    });
    expect(await show(origin, 'main', 'src/app.ts')).toBeNull();
    expect(await show(origin, 'main', 'src/app.js')).toBe('x');
  });

  it('keeps the executable bit and refuses to turn a file into a directory', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const withScript = await commitTo(origin, initial, { 'run.sh': '#!/bin/sh\n' }, { executable: ['run.sh'] });
    await repo.pushFiles({
      branch: 'main',
      files: [{ path: 'run.sh', content: '#!/bin/sh\necho hi\n' }],
      message: 'm',
      author: ann,
    });
    expect(await git(origin, ['ls-tree', 'main', '--', 'run.sh'])).toMatch(/^100755 /);
    const pushed = await head(origin);
    expect(pushed).not.toBe(withScript);

    const dirConflict = await failure(
      repo.pushFiles({ branch: 'main', files: [{ path: 'README.md/x', content: 'x' }], message: 'm', author: ann }),
    );
    expect(dirConflict.message).toMatch(/"README.md" is a file/);
    const fileOverDir = await failure(
      repo.pushFiles({ branch: 'main', files: [{ path: 'src', content: 'x' }], message: 'm', author: ann }),
    );
    expect(fileOverDir.message).toMatch(/is a directory/);
    expect(await head(origin)).toBe(pushed);
  });

  it('refuses a stale expectedHead and leaves origin unchanged', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const moved = await commitTo(origin, initial, { 'other.txt': 'other\n' });
    const error = await failure(
      repo.pushFiles({
        branch: 'main',
        files: [{ path: 'a.txt', content: 'a' }],
        message: 'm',
        author: ann,
        expectedHead: initial,
      }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/moved/);
    expect(await head(origin)).toBe(moved);

    const ok = await repo.pushFiles({
      branch: 'main',
      files: [{ path: 'a.txt', content: 'a' }],
      message: 'm',
      author: ann,
      expectedHead: moved,
    });
    expect(ok.parentSha).toBe(moved);
  });

  it('lands every one of several concurrent pushes to one branch', async ({ expect, onTestFinished }) => {
    const { origin, repo } = await setup(onTestFinished);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        repo.pushFiles({
          branch: 'main',
          files: [{ path: `${name}.txt`, content: `${name}\n` }],
          message: `Add ${name}`,
          author: ann,
        }),
      ),
    );
    const subjects = (await git(origin, ['log', '--format=%s', 'main'])).split('\n');
    expect(subjects.slice(0, 3).sort()).toEqual(['Add a', 'Add b', 'Add c']);
    expect(subjects).toHaveLength(4);
    for (const name of ['a', 'b', 'c']) expect(await show(origin, 'main', `${name}.txt`)).toBe(name);
    expect(new Set(results.map((r) => r.parentSha)).size).toBe(3);
  });

  it('re-applies the same changes when an outside push lands first', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const outside = await commitTo(origin, initial, { 'outside.txt': 'outside\n' }, { branch: null });
    raceNextPush(origin, 'main', outside);
    const result = await repo.pushFiles({
      branch: 'main',
      files: [{ path: 'mine.txt', content: 'mine\n' }],
      message: 'Mine',
      author: ann,
    });
    expect(result.parentSha).toBe(outside);
    expect(await head(origin)).toBe(result.commitSha);
    expect(await show(origin, 'main', 'outside.txt')).toBe('outside');
    expect(await show(origin, 'main', 'mine.txt')).toBe('mine');
  });

  it('refuses instead of re-applying when the push was pinned to expectedHead', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const outside = await commitTo(origin, initial, { 'outside.txt': 'outside\n' }, { branch: null });
    raceNextPush(origin, 'main', outside);
    const error = await failure(
      repo.pushFiles({
        branch: 'main',
        files: [{ path: 'mine.txt', content: 'mine\n' }],
        message: 'Mine',
        author: ann,
        expectedHead: initial,
      }),
    );
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/moved/);
    expect(await head(origin)).toBe(outside);
  });

  it('lands pushes from two mirrors (two Aegis instances) racing each other', async ({ expect, onTestFinished }) => {
    const { origin, open, repo } = await setup(onTestFinished);
    const other = open({}, 'mirror-2');
    await Promise.all([
      repo.pushFiles({ branch: 'main', files: [{ path: 'one.txt', content: '1' }], message: 'One', author: ann }),
      other.pushFiles({ branch: 'main', files: [{ path: 'two.txt', content: '2' }], message: 'Two', author: ann }),
    ]);
    expect(await show(origin, 'main', 'one.txt')).toBe('1');
    expect(await show(origin, 'main', 'two.txt')).toBe('2');
    expect(await git(origin, ['rev-list', '--count', 'main'])).toBe('3');
  });

  it('refuses invalid branch names and paths before running git', async ({ expect, onTestFinished }) => {
    const { root, origin, initial, open } = await setup(onTestFinished);
    const fresh = open({}, 'untouched-mirror');
    const bad: Parameters<GitRepository['pushFiles']>[0][] = [
      { branch: 'a..b', files: [{ path: 'x', content: 'x' }], message: 'm', author: ann },
      { branch: '-oops', files: [{ path: 'x', content: 'x' }], message: 'm', author: ann },
      { branch: 'main', files: [{ path: '.git/config', content: 'x' }], message: 'm', author: ann },
      { branch: 'main', files: [{ path: 'a/GIT~1/hooks/x', content: 'x' }], message: 'm', author: ann },
      { branch: 'main', files: [{ path: '../escape', content: 'x' }], message: 'm', author: ann },
      { branch: 'main', deletions: ['/etc/passwd'], message: 'm', author: ann },
      { branch: 'main', files: [{ path: 'x', content: 'x' }], message: '', author: ann },
      {
        branch: 'main',
        files: [{ path: 'x', content: 'x' }],
        message: 'm',
        author: { name: 'A <evil>', email: 'a@b' },
      },
      { branch: 'main', files: [{ path: 'x', content: 'x' }], message: 'm', author: ann, createBranchFrom: 'a b' },
    ];
    for (const input of bad) expect((await failure(fresh.pushFiles(input))).code).toBe('invalid_input');
    expect((await failure(fresh.createBranch('refs/heads/x', 'main'))).code).toBe('invalid_input');
    expect((await failure(fresh.readFile('main', 'a/../b'))).code).toBe('invalid_input');
    expect((await failure(fresh.merge({ base: 'main', head: 'HEAD', method: 'merge', author: ann }))).code).toBe(
      'invalid_input',
    );
    // Nothing ran: the mirror was never even created, and origin did not move.
    expect(existsSync(path.join(root, 'untouched-mirror'))).toBe(false);
    expect(await head(origin)).toBe(initial);
  });

  it('enforces the size limits, naming the limit', async ({ expect, onTestFinished }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const small = open({ maxFiles: 2, maxFileBytes: 10, maxTotalBytes: 15 }, 'small-mirror');
    const tooMany = await failure(
      small.pushFiles({
        branch: 'main',
        files: [
          { path: 'a', content: '' },
          { path: 'b', content: '' },
        ],
        deletions: ['README.md'],
        message: 'm',
        author: ann,
      }),
    );
    expect(tooMany.message).toMatch(/limit is 2 files/);
    const tooBig = await failure(
      small.pushFiles({ branch: 'main', files: [{ path: 'a', content: '12345678901' }], message: 'm', author: ann }),
    );
    expect(tooBig.message).toMatch(/limit of 10 bytes per file/);
    const tooMuch = await failure(
      small.pushFiles({
        branch: 'main',
        files: [
          { path: 'a', content: '12345678' },
          { path: 'b', content: '12345678' },
        ],
        message: 'm',
        author: ann,
      }),
    );
    expect(tooMuch.message).toMatch(/limit of 15 bytes in total/);
    expect(await head(origin)).toBe(initial);
  });

  it('writes binary content byte for byte', async ({ expect, onTestFinished }) => {
    const { repo } = await setup(onTestFinished);
    const bytes = Uint8Array.from([0, 1, 2, 255, 10, 13]);
    const result = await repo.pushFiles({
      branch: 'main',
      files: [{ path: 'bin/data.bin', content: bytes }],
      message: 'bin',
      author: ann,
    });
    const read = await repo.readFile(result.commitSha, 'bin/data.bin');
    expect(read.type).toBe('file');
    if (read.type === 'file') {
      expect([...read.content]).toEqual([...bytes]);
      expect(read.binary).toBe(true);
    }
  });
});

describe.concurrent('branches', { timeout: 60_000 }, () => {
  it('creates a branch on the remote and refuses one that exists', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const created = await repo.createBranch('aegis/feature', 'main');
    expect(created).toEqual({ name: 'aegis/feature', sha: initial });
    expect(await head(origin, 'aegis/feature')).toBe(initial);
    expect((await failure(repo.createBranch('aegis/feature', 'main'))).code).toBe('conflict');
    expect((await failure(repo.createBranch('aegis/other', 'no-such-branch'))).code).toBe('not_found');
    expect((await repo.listBranches()).map((b) => b.name)).toEqual(['aegis/feature', 'main']);
  });

  it('pushes to a new branch based on createBranchFrom, and needs it for a missing branch', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const missing = await failure(
      repo.pushFiles({ branch: 'aegis/new', files: [{ path: 'n.txt', content: 'n' }], message: 'm', author: ann }),
    );
    expect(missing.code).toBe('not_found');
    const result = await repo.pushFiles({
      branch: 'aegis/new',
      files: [{ path: 'n.txt', content: 'n' }],
      message: 'New branch',
      author: ann,
      createBranchFrom: 'main',
    });
    expect(result).toMatchObject({ parentSha: initial, branch: 'aegis/new', created: true });
    expect(await head(origin, 'aegis/new')).toBe(result.commitSha);
    expect(await head(origin)).toBe(initial);
  });

  it('deletes a branch, but not the default branch nor a missing one', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    await commitTo(origin, initial, { 'f.txt': 'f' }, { branch: 'feature' });
    await repo.deleteBranch('feature');
    expect(await head(origin, 'feature')).toBeNull();
    expect(await repo.headOf('feature')).toBeNull();
    expect((await failure(repo.deleteBranch('feature'))).code).toBe('not_found');
    expect((await failure(repo.deleteBranch('main'))).code).toBe('conflict');
    expect(await head(origin)).toBe(initial);
  });
});

describe.concurrent('branch races', { timeout: 60_000 }, () => {
  it('does not take over a branch someone else creates at the same moment', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const theirs = await commitTo(origin, initial, { 't.txt': 't\n' }, { branch: null });
    raceNextPush(origin, 'aegis/race', theirs);
    const error = await failure(repo.createBranch('aegis/race', 'main'));
    expect(error.code).toBe('conflict');
    expect(await head(origin, 'aegis/race')).toBe(theirs);
  });

  it('does not delete a branch that moved while deleting it', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const before = await commitTo(origin, initial, { 'f.txt': 'f\n' }, { branch: 'feature' });
    const moved = await commitTo(origin, before, { 'g.txt': 'g\n' }, { branch: null });
    raceNextPush(origin, 'feature', moved);
    const error = await failure(repo.deleteBranch('feature'));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/moved/);
    expect(await head(origin, 'feature')).toBe(moved);
  });
});

describe.concurrent('reading', { timeout: 60_000 }, () => {
  it('reads a file, a directory and the root; missing paths are not found', async ({ expect, onTestFinished }) => {
    const { initial, repo } = await setup(onTestFinished);
    const file = await repo.readFile('main', 'src/app.ts');
    expect(file).toMatchObject({ type: 'file', path: 'src/app.ts', size: 14, mode: '100644', binary: false });
    if (file.type === 'file') expect(file.content.toString()).toBe('one\ntwo\nthree\n');

    const dir = await repo.readFile('main', 'src');
    expect(dir.type).toBe('directory');
    if (dir.type === 'directory')
      expect(dir.entries).toEqual([
        expect.objectContaining({ name: 'app.ts', path: 'src/app.ts', type: 'file', size: 14 }),
      ]);

    const rootDir = await repo.readFile(initial, '');
    if (rootDir.type !== 'directory') throw new Error('expected a directory');
    expect(rootDir.entries.map((e) => `${e.type}:${e.path}`)).toEqual(['file:README.md', 'directory:src']);

    expect((await failure(repo.readFile('main', 'src/nope.ts'))).code).toBe('not_found');
    expect((await failure(repo.readFile('no-branch', 'README.md'))).code).toBe('not_found');
  });

  it('serves reads from the mirror within the freshness window and fetches after it', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const cached = open({ freshnessMs: 60_000 }, 'cached-mirror');
    const live = open({ freshnessMs: 0 }, 'live-mirror');
    expect(await cached.headOf('main')).toBe(initial);
    const moved = await commitTo(origin, initial, { 'README.md': '# Moved\n' });
    expect(await cached.headOf('main')).toBe(initial);
    expect(await live.headOf('main')).toBe(moved);
    await cached.sync();
    expect(await cached.headOf('main')).toBe(moved);
  });

  it('diffs two branches from their merge base and reads the log', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const feature = await commitTo(
      origin,
      initial,
      { 'src/app.ts': 'one\nTWO\nthree\n', 'new.txt': 'new\n', 'README.md': null },
      { branch: 'feature', message: 'Feature work' },
    );
    await commitTo(origin, initial, { 'main-only.txt': 'm\n' });
    const diff = await repo.diff('main', 'feature');
    expect(diff.baseSha).toBe(initial);
    expect(diff.headSha).toBe(feature);
    expect(diff.files).toEqual([
      expect.objectContaining({ path: 'README.md', status: 'deleted', additions: 0, deletions: 1 }),
      expect.objectContaining({ path: 'new.txt', status: 'added', additions: 1, deletions: 0 }),
      expect.objectContaining({ path: 'src/app.ts', status: 'modified', additions: 1, deletions: 1 }),
    ]);
    expect(diff).toMatchObject({ filesChanged: 3, additions: 2, deletions: 2, truncated: false });
    expect(diff.patch).toContain('diff --git a/src/app.ts b/src/app.ts');
    expect(diff.patch).toContain('-two\n+TWO');

    const log = await repo.log('feature', 5);
    expect(log.map((c) => c.subject)).toEqual(['Feature work', 'Initial commit']);
    expect(log[0]).toMatchObject({
      sha: feature,
      parents: [initial],
      author: { name: 'Outsider', email: 'outsider@example.com' },
    });
  });
});

describe.concurrent('previewChanges', { timeout: 60_000 }, () => {
  it('computes statuses, line counts and the diff without moving any ref', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const preview = await repo.previewChanges({
      branch: 'main',
      files: [
        { path: 'src/app.ts', content: 'one\nthree\nfour\nfive\n' },
        { path: 'docs/new.md', content: 'new\n' },
      ],
      deletions: ['README.md'],
    });
    expect(preview).toMatchObject({
      branch: 'main',
      baseSha: initial,
      createsBranch: false,
      filesChanged: 3,
      additions: 3,
      deletions: 2,
    });
    expect(preview.files.map((f) => `${f.status}:${f.path}:+${f.additions}-${f.deletions}`)).toEqual([
      'deleted:README.md:+0-1',
      'added:docs/new.md:+1-0',
      'modified:src/app.ts:+2-1',
    ]);
    expect(preview.patch).toContain('+++ b/docs/new.md');
    expect(await head(origin)).toBe(initial);
    expect(await repo.headOf('main')).toBe(initial);

    const missing = await failure(repo.previewChanges({ branch: 'main', deletions: ['nope.txt'] }));
    expect(missing.message).toMatch(/no such file/);
  });
});

describe.concurrent('merge', { timeout: 60_000 }, () => {
  it('fast-forwards when the base has nothing of its own', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const feature = await commitTo(origin, initial, { 'f.txt': 'f\n' }, { branch: 'feature' });
    const result = await repo.merge({ base: 'main', head: 'feature', method: 'merge', author: ann });
    expect(result).toEqual({ sha: feature, previousSha: initial, method: 'fast-forward' });
    expect(await head(origin)).toBe(feature);
  });

  it('makes a merge commit with two parents, or a squash commit with one', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const feature = await commitTo(origin, initial, { 'f.txt': 'f\n' }, { branch: 'feature' });
    const mainMoved = await commitTo(origin, initial, { 'm.txt': 'm\n' });

    const merged = await repo.merge({
      base: 'main',
      head: 'feature',
      method: 'merge',
      author: ann,
      message: 'Merge feature',
    });
    expect(merged).toMatchObject({ previousSha: mainMoved, method: 'merge' });
    expect(await head(origin)).toBe(merged.sha);
    expect(await git(origin, ['log', '-1', '--format=%P|%an|%s', 'main'])).toBe(
      `${mainMoved} ${feature}|Ann Agent|Merge feature`,
    );
    expect(await show(origin, 'main', 'f.txt')).toBe('f');
    expect(await show(origin, 'main', 'm.txt')).toBe('m');

    const feature2 = await commitTo(origin, initial, { 'g.txt': 'g\n' }, { branch: 'feature2' });
    const squashed = await repo.merge({
      base: 'main',
      head: 'feature2',
      method: 'squash',
      author: ann,
      message: 'Squash feature2',
    });
    expect(squashed.method).toBe('squash');
    expect(await git(origin, ['log', '-1', '--format=%P|%s', 'main'])).toBe(`${merged.sha}|Squash feature2`);
    expect(await show(origin, 'main', 'g.txt')).toBe('g');
    // A squash keeps feature2's changes but not its history.
    await expect(git(origin, ['merge-base', '--is-ancestor', feature2, 'main'])).rejects.toThrow();
  });

  it('refuses a conflicting merge, listing the paths, and leaves origin unchanged', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    await commitTo(origin, initial, { 'src/app.ts': 'feature\n' }, { branch: 'feature' });
    const mainMoved = await commitTo(origin, initial, { 'src/app.ts': 'main\n' });
    const error = await failure(repo.merge({ base: 'main', head: 'feature', method: 'merge', author: ann }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/conflicts in src\/app\.ts/);
    expect(error.details).toEqual({ conflictingPaths: ['src/app.ts'] });
    expect(await head(origin)).toBe(mainMoved);
  });

  it('refuses a fast-forward-only merge of diverged branches, and a merge with nothing to merge', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    await commitTo(origin, initial, { 'f.txt': 'f\n' }, { branch: 'feature' });
    const mainMoved = await commitTo(origin, initial, { 'm.txt': 'm\n' });
    expect(
      (await failure(repo.merge({ base: 'main', head: 'feature', method: 'fast-forward', author: ann }))).code,
    ).toBe('conflict');
    await git(origin, ['update-ref', 'refs/heads/old', initial]);
    expect((await failure(repo.merge({ base: 'main', head: 'old', method: 'merge', author: ann }))).code).toBe(
      'invalid_input',
    );
    expect(await head(origin)).toBe(mainMoved);
  });

  it('re-computes the merge when the base moves during the push', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const feature = await commitTo(origin, initial, { 'f.txt': 'f\n' }, { branch: 'feature' });
    const outside = await commitTo(origin, initial, { 'o.txt': 'o\n' }, { branch: null });
    raceNextPush(origin, 'main', outside);
    const result = await repo.merge({ base: 'main', head: 'feature', method: 'merge', author: ann });
    expect(result).toMatchObject({ previousSha: outside, method: 'merge' });
    expect(await git(origin, ['log', '-1', '--format=%P', 'main'])).toBe(`${outside} ${feature}`);
  });
});

describe.concurrent('credentials', { timeout: 60_000 }, () => {
  it('reach git through askpass only and never appear in errors', async ({ expect, onTestFinished }) => {
    const { root, policy } = await setup(onTestFinished);
    // A loopback server stands in for the remote: allowed here, as an operator could allow it.
    const httpPolicy: LocationPolicy = { ...policy, remoteSchemes: ['http'], allowPrivateNetworks: true };
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="aegis-test"' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const secret = 's3cr3t-T0KEN';
      const fromFields = await failure(
        checkRemote(
          { url: `http://127.0.0.1:${port}/repo.git`, username: 'alice', password: secret },
          { policy: httpPolicy },
        ),
      );
      const fromUrl = await failure(
        checkRemote({ url: `http://bob:${secret}@127.0.0.1:${port}/repo.git` }, { policy: httpPolicy }),
      );
      const mirrored = new GitRepository({
        mirrorDir: path.join(root, 'http-mirror'),
        remote: { url: `http://x:${secret}@127.0.0.1:${port}/r.git` },
        locationPolicy: httpPolicy,
      });
      const fromSync = await failure(mirrored.sync());
      for (const error of [fromFields, fromUrl, fromSync]) {
        expect(error.message).toMatch(/Authentication .* failed|Cannot reach/);
        expect(`${error.message} ${error.stack} ${JSON.stringify(error.details ?? {})}`).not.toContain(secret);
      }
      expect(fromFields.message).toMatch(/Authentication to http:\/\/127\.0\.0\.1:\d+\/repo\.git failed/);
      const sent = seen
        .map((h) => h.authorization)
        .filter(Boolean)
        .map((a) => Buffer.from(String(a).replace(/^Basic /, ''), 'base64').toString());
      expect(sent).toContain(`alice:${secret}`);
      expect(sent).toContain(`bob:${secret}`);
      expect(sent).toContain(`x:${secret}`);
      expect(fromSync.code).toBe('invalid_input');
      expect(mirrored.displayUrl).not.toContain(secret);
    } finally {
      server.close();
    }
  });
});
