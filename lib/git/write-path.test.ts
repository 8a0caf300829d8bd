// The write path of a mirror, against real git repositories: an allowed push_files costs a
// handful of git processes (no fetch before the push, the tree its preview built is the tree
// committed), and a push that races another writer to the same branch is re-applied on the new
// head or refused — never forced, and always exactly one commit.

import path from 'node:path';
import { afterAll, describe, it, vi } from 'vitest';
import * as childProcess from 'node:child_process';
import { GitRepository } from './git-repository';
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

// Counts the git processes Aegis starts (and still starts them).
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:child_process')>();
  return { ...actual, execFile: vi.fn(actual.execFile), spawn: vi.fn(actual.spawn) };
});

const ann = { name: 'Ann Agent', email: 'ann@example.com' };

async function setup(onTestFinished: (fn: () => void) => void) {
  const { dir: root, cleanup } = tempDir();
  onTestFinished(cleanup);
  const { origin, initial } = await createOrigin(root);
  const repo = new GitRepository({
    mirrorDir: path.join(root, 'mirror'),
    remote: { url: origin },
    locationPolicy: testLocationPolicy(root),
    // Reads never fetch in these tests unless told to: what a write fetches is its own doing.
    freshnessMs: 60_000,
    maxStalenessMs: 60_000,
  });
  return { origin, initial, repo };
}

/** The git subcommands Aegis starts while `fn` runs. */
async function gitProcesses(fn: () => Promise<unknown>): Promise<string[]> {
  const mocks = [vi.mocked(childProcess.execFile), vi.mocked(childProcess.spawn)];
  const before = mocks.map((m) => m.mock.calls.length);
  await fn();
  return mocks.flatMap((m, i) =>
    m.mock.calls.slice(before[i]).map(([, args]) => {
      const list = args as string[];
      return list.find((a, j) => !a.startsWith('-') && list[j - 1] !== '-c') ?? '?';
    }),
  );
}

const commitsBetween = async (origin: string, from: string, to: string) =>
  Number(await git(origin, ['rev-list', '--count', `${from}..${to}`]));
const isAncestor = (origin: string, ancestor: string, descendant: string) =>
  git(origin, ['merge-base', '--is-ancestor', ancestor, descendant]).then(
    () => true,
    () => false,
  );

afterAll(disposeOriginTemplate);

describe('the write path', { timeout: 60_000 }, () => {
  it('previews an allowed push_files in two git processes and pushes it in three', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    await repo.readFile('main', 'README.md'); // the first read fetches the mirror
    const change = { branch: 'main', files: [{ path: 'src/app.txt', content: 'app\n' }] };
    let preview!: Awaited<ReturnType<GitRepository['previewChanges']>>;
    const previewed = await gitProcesses(async () => (preview = await repo.previewChanges(change)));
    let pushed!: Awaited<ReturnType<GitRepository['pushFiles']>>;
    const pushing = await gitProcesses(
      async () => (pushed = await repo.pushFiles({ ...change, message: 'Add app', author: ann })),
    );
    // No fetch and no second tree: make the commit, push it, record the new head in the mirror.
    expect(pushing.sort()).toEqual(['push', 'update-ref']);
    // The preview writes its blobs and trees without git; only the two diffs run git.
    expect(previewed).toEqual(['diff-tree', 'diff-tree']);
    expect(preview.baseSha).toBe(initial);
    expect(pushed.parentSha).toBe(initial);
    expect(await head(origin)).toBe(pushed.commitSha);
    expect(await commitsBetween(origin, initial, 'main')).toBe(1);
    expect(await show(origin, 'main', 'src/app.txt')).toBe('app');
  });

  it('builds exactly the tree git itself would, objects that pass git fsck --strict', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    // Names whose order in a tree is git's own ("a" as a directory sorts as "a/"), a file alone
    // in its directory, an executable, a name that is not ASCII.
    const base = await commitTo(
      origin,
      initial,
      {
        'a/x.txt': 'x\n',
        'a-b': 'dash\n',
        'a.b': 'dot\n',
        'a b/y.txt': 'space\n',
        'solo/only.txt': 'alone\n',
        'run.sh': '#!/bin/sh\n',
        'été.txt': 'summer\n',
      },
      { executable: ['run.sh'] },
    );
    const changes: Record<string, string | null> = {
      'a/new.txt': 'new\n',
      'a0/z.txt': 'z\n',
      'run.sh': '#!/bin/sh\necho hi\n',
      'solo/only.txt': null,
      'deep/er/still/file.txt': 'deep\n',
      'été.txt': 'winter\n',
    };
    const expected = await commitTo(origin, base, changes, { branch: null, executable: ['run.sh'] });
    await repo.sync();
    const pushed = await repo.pushFiles({
      branch: 'main',
      message: 'Tricky names',
      author: ann,
      files: Object.entries(changes)
        .filter(([, c]) => c !== null)
        .map(([p, content]) => ({ path: p, content: content! })),
      deletions: Object.keys(changes).filter((p) => changes[p] === null),
    });
    expect(await git(origin, ['rev-parse', `${pushed.commitSha}^{tree}`])).toBe(
      await git(origin, ['rev-parse', `${expected}^{tree}`]),
    );
    await git(origin, ['fsck', '--strict', '--no-dangling']);
    // Deleting the last file of a directory, and every file of the root, as git's index does.
    const emptied = await repo.pushFiles({
      branch: 'main',
      message: 'Empty it',
      author: ann,
      deletions: (await git(origin, ['ls-tree', '-r', '--name-only', '-z', 'main'])).split('\0').filter(Boolean),
    });
    expect(await git(origin, ['rev-parse', `${emptied.commitSha}^{tree}`])).toBe(
      await git(origin, ['hash-object', '-t', 'tree', '/dev/null']),
    );
  });

  it('re-applies a push on the new head when the branch moved after its preview, keeping the other commit', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const change = { branch: 'main', files: [{ path: 'mine.txt', content: 'mine\n' }] };
    const preview = await repo.previewChanges(change);
    expect(preview.baseSha).toBe(initial);
    // Someone pushes to the branch outside Aegis; the mirror has not fetched it.
    const outside = await commitTo(origin, initial, { 'outside.txt': 'outside\n' });
    const processes = await gitProcesses(() => repo.pushFiles({ ...change, message: 'Mine', author: ann }));
    // The remote refused the first push (its lease named the old head); only then did Aegis fetch.
    expect(processes.filter((p) => p === 'push')).toHaveLength(2);
    expect(processes.filter((p) => p === 'fetch')).toHaveLength(1);
    const now = (await head(origin))!;
    expect(await isAncestor(origin, outside, now)).toBe(true);
    expect(await git(origin, ['rev-parse', `${now}^`])).toBe(outside);
    expect(await commitsBetween(origin, outside, now)).toBe(1);
    expect(await show(origin, 'main', 'outside.txt')).toBe('outside');
    expect(await show(origin, 'main', 'mine.txt')).toBe('mine');
  });

  it('re-applies a push that loses a race at the remote itself, never forcing it', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    await repo.readFile('main', 'README.md');
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
    expect(await commitsBetween(origin, outside, 'main')).toBe(1);
    expect(await show(origin, 'main', 'outside.txt')).toBe('outside');
  });

  it('refuses, pushing nothing, when on the moved branch the push would change other things than previewed', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const change = { branch: 'main', files: [{ path: 'shared.txt', content: 'mine\n' }] };
    const preview = await repo.previewChanges(change);
    expect(preview.files).toMatchObject([{ path: 'shared.txt', status: 'added' }]);
    // The outside push creates the file: Aegis's push would now modify it instead of adding it.
    const outside = await commitTo(origin, initial, { 'shared.txt': 'theirs\n' });
    const error = await failure(repo.pushFiles({ ...change, message: 'Mine', author: ann }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/moved.*Nothing was pushed/);
    expect(await head(origin)).toBe(outside);
    expect(await show(origin, 'main', 'shared.txt')).toBe('theirs');
    // Asked again, the preview is made on the new head and the push lands on it.
    expect((await repo.previewChanges(change)).files).toMatchObject([{ path: 'shared.txt', status: 'modified' }]);
    const landed = await repo.pushFiles({ ...change, message: 'Mine', author: ann });
    expect(landed.parentSha).toBe(outside);
    expect(await commitsBetween(origin, outside, 'main')).toBe(1);
  });

  it('pushes onto a head the mirror fetched after the preview only if the change is what the policy saw', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const same = { branch: 'main', files: [{ path: 'mine.txt', content: 'mine\n' }] };
    const differs = { branch: 'main', files: [{ path: 'shared.txt', content: 'mine\n' }] };
    const [previewSame, previewDiffers] = [await repo.previewChanges(same), await repo.previewChanges(differs)];
    const outside = await commitTo(origin, initial, { 'shared.txt': 'theirs\n' });
    await repo.sync(); // the mirror is current: no race at the remote, only a moved branch
    const error = await failure(
      repo.pushFiles({ ...differs, message: 'Mine', author: ann, previewedOn: previewDiffers.baseSha }),
    );
    expect(error.code).toBe('conflict');
    expect(await head(origin)).toBe(outside);
    const landed = await repo.pushFiles({ ...same, message: 'Mine', author: ann, previewedOn: previewSame.baseSha });
    expect(landed.parentSha).toBe(outside);
    expect(await commitsBetween(origin, outside, 'main')).toBe(1);
  });
});

describe('commits written without git', { timeout: 60_000 }, () => {
  it('are byte for byte what git commit-tree makes, whatever the identity', async ({ expect, onTestFinished }) => {
    const { origin, initial, repo } = await setup(onTestFinished);
    const date = new Date('2026-01-02T03:04:05Z');
    const people = [
      { name: 'Ann Agent', email: 'ann@example.com' },
      { name: "O'Brien, Jr.", email: 'ob@example.com' },
      { name: '"Quoted";', email: "'odd'@example.com," },
      { name: 'Zoë Łukasz 李', email: 'zoe@example.com' },
    ];
    let parent = initial;
    for (const [i, author] of people.entries()) {
      const pushed = await repo.pushFiles({
        branch: 'main',
        message: `Commit ${i}\n\nwith a body  \n`,
        author,
        files: [{ path: `f${i}.txt`, content: `${i}\n` }],
        expectedHead: parent,
        commitDate: date,
        acceptLanded: true,
      });
      const tree = await git(origin, ['rev-parse', `${pushed.commitSha}^{tree}`]);
      const expected = await git(origin, ['commit-tree', tree, '-p', parent, '-F', '-'], {
        input: `Commit ${i}\n\nwith a body\n`,
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: author.name,
          GIT_COMMITTER_EMAIL: author.email,
          GIT_AUTHOR_DATE: `@${date.getTime() / 1000} +0000`,
          GIT_COMMITTER_DATE: `@${date.getTime() / 1000} +0000`,
        },
      });
      expect(await git(origin, ['cat-file', 'commit', pushed.commitSha])).toBe(
        await git(origin, ['cat-file', 'commit', expected]),
      );
      expect(pushed.commitSha).toBe(expected);
      parent = pushed.commitSha;
    }
    await git(origin, ['fsck', '--strict', '--no-dangling']);
  });
});
