// Pinned pushes, what approved actions use to land exactly once: fixed dates make the same change
// the same commit every time; a pinned head is never re-applied elsewhere; and a commit an
// earlier attempt already landed is recognised instead of pushed again. Real git, no sleeps.

import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { AppError } from '../errors';
import { GitRepository } from './git-repository';
import { commitTo, createOrigin, disposeOriginTemplate, git, head, tempDir, testLocationPolicy } from './test-fixtures';

const ann = { name: 'Ann Agent', email: 'ann@example.com' };
const date = new Date('2026-12-01T10:00:00Z');

async function setup(onTestFinished: (fn: () => void) => void) {
  const { dir: root, cleanup } = tempDir();
  onTestFinished(cleanup);
  const { origin, initial } = await createOrigin(root);
  const open = (mirror: string) =>
    new GitRepository({
      mirrorDir: path.join(root, mirror),
      remote: { url: origin },
      locationPolicy: testLocationPolicy(root),
    });
  return { origin, initial, open };
}

const change = (branch: string) => ({
  branch,
  files: [{ path: 'docs/a.md', content: 'a\n' }],
  message: 'Add a',
  author: ann,
  commitDate: date,
});

afterAll(disposeOriginTemplate);

describe.concurrent('pinned pushes', { timeout: 60_000 }, () => {
  it('make the same commit for the same change on the same parent, on any mirror', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const first = await open('one').pushFiles({ ...change('a'), expectedHead: null, createBranchFrom: initial });
    await git(origin, ['update-ref', '-d', 'refs/heads/a']);
    const again = await open('two').pushFiles({ ...change('a'), expectedHead: null, createBranchFrom: initial });
    expect(again.commitSha).toBe(first.commitSha);
    expect(await git(origin, ['log', '-1', '--format=%aI %cI', 'a'])).toBe(
      '2026-12-01T10:00:00+00:00 2026-12-01T10:00:00+00:00',
    );
  });

  it('recognise a commit that already landed instead of pushing it twice', async ({ expect, onTestFinished }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const pinned = { ...change('main'), expectedHead: initial, acceptLanded: true };
    const first = await open('one').pushFiles(pinned);
    expect(first.landedEarlier).toBeUndefined();
    // Another instance (its own mirror) retries after a crash: nothing is pushed again.
    const retry = await open('two').pushFiles(pinned);
    expect(retry).toMatchObject({ commitSha: first.commitSha, landedEarlier: true });
    expect(await git(origin, ['rev-list', '--count', 'main'])).toBe('2');

    // Even once someone built on it.
    const later = await commitTo(origin, first.commitSha, { 'b.md': 'b\n' });
    expect(await open('three').pushFiles(pinned)).toMatchObject({ commitSha: first.commitSha, landedEarlier: true });
    expect(await head(origin)).toBe(later);
  });

  it('refuse when the branch moved to something else, and when a new branch exists already', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const moved = await commitTo(origin, initial, { 'other.md': 'x\n' });
    const refused = await open('one')
      .pushFiles({ ...change('main'), expectedHead: initial, acceptLanded: true })
      .catch((error: AppError) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('conflict');
    expect(await head(origin)).toBe(moved);

    await commitTo(origin, initial, { 'c.md': 'c\n' }, { branch: 'taken' });
    const exists = await open('one')
      .pushFiles({ ...change('taken'), expectedHead: null, createBranchFrom: initial })
      .catch((error: AppError) => error);
    expect((exists as AppError).message).toMatch(/already exists/);
  });

  it('call beforePush with the exact commit before pushing, and push nothing when it throws', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, open } = await setup(onTestFinished);
    const planned: string[] = [];
    const stop = new Error('lease lost');
    const failed = await open('one')
      .pushFiles({
        ...change('b'),
        expectedHead: null,
        createBranchFrom: initial,
        beforePush: async (push) => {
          planned.push(push.commitSha);
          throw stop;
        },
      })
      .catch((error) => error);
    expect(failed).toBe(stop);
    expect(await head(origin, 'b')).toBeNull();
    const pushed = await open('one').pushFiles({ ...change('b'), expectedHead: null, createBranchFrom: initial });
    expect(pushed.commitSha).toBe(planned[0]);
  });

  it('need a pinned head and fixed dates to accept a landed commit', async ({ expect, onTestFinished }) => {
    const { open } = await setup(onTestFinished);
    await expect(open('one').pushFiles({ ...change('main'), acceptLanded: true })).rejects.toThrow(TypeError);
  });
});
