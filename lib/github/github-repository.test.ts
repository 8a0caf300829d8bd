// The GitHub room's repository against the fake GitHub (tests/fixtures/github-server), which
// stands in for GitHub held to its OpenAPI description: every request made here and every
// response received is checked against it, and each test ends with no contract violation.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../../tests/fixtures/github-server';
import { createGitHubClient } from './client';
import { GitHubRoomRepository } from './github-repository';

const TOKEN = 'ghp_unitTestTokenThatMustNeverLeak0123456789';
const author = { name: 'Dev', email: 'dev@example.com' };
let fake: FakeGitHub | undefined;

async function setUp(options: { basePath?: string; maxWait?: number } = {}) {
  fake = await FakeGitHub.start({
    dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'aegis-github-')), 'repo.git'),
    owner: 'acme',
    repo: 'app',
    tokens: [TOKEN],
    ...(options.basePath ? { basePath: options.basePath, contract: 'ghes-3.19' as const } : {}),
  });
  const base = await fake.commit('main', { 'README.md': 'hello\n', 'src/app.ts': 'export const a = 1;\n' }, 'Initial');
  const client = await createGitHubClient({
    apiUrl: fake.url,
    credentials: { kind: 'token', token: TOKEN },
    network: { allowPrivateNetworks: true },
    maxRateLimitWaitSeconds: options.maxWait ?? 2,
    writeIntervalMs: 0,
    pacingKey: `test-${Math.random()}`,
  });
  const repository = new GitHubRoomRepository({
    client,
    fullName: 'acme/app',
    committer: { name: 'Aegis', email: 'aegis@localhost' },
  });
  return { fake, base, repository };
}

afterEach(async () => {
  try {
    fake?.assertNoViolations();
  } finally {
    await fake?.close();
    fake = undefined;
  }
});

describe('GitHubRoomRepository', () => {
  it('reads files, directories and branches', async () => {
    const { repository, base } = await setUp();
    const file = await repository.readFile('main', 'src/app.ts');
    expect(file).toMatchObject({ type: 'file', path: 'src/app.ts', binary: false });
    expect(file.type === 'file' && file.content.toString()).toBe('export const a = 1;\n');
    const root = await repository.readFile('main', '');
    expect(root.type === 'directory' && root.entries.map((e) => `${e.type}:${e.path}`)).toEqual([
      'file:README.md',
      'directory:src',
    ]);
    expect(await repository.listBranches()).toEqual([{ name: 'main', sha: base }]);
    expect(await repository.headOf('nope')).toBeNull();
    await expect(repository.readFile('main', 'missing.txt')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('pushes several files and a deletion as exactly one commit with a non-forced update, in a known number of requests', async () => {
    const { fake, repository, base } = await setUp();
    const preview = await repository.previewChanges({
      branch: 'main',
      files: [
        { path: 'src/app.ts', content: 'export const a = 2;\n' },
        { path: 'docs/new.md', content: '# New\n' },
      ],
      deletions: ['README.md'],
    });
    expect(preview).toMatchObject({ baseSha: base, createsBranch: false, filesChanged: 3, additions: 2, deletions: 2 });
    expect(preview.files.map((f) => `${f.status}:${f.path}`).sort()).toEqual([
      'added:docs/new.md',
      'deleted:README.md',
      'modified:src/app.ts',
    ]);
    expect(preview.patch).toContain('-export const a = 1;\n+export const a = 2;');
    const before = fake.requests.length;
    const pushed = await repository.pushFiles({
      branch: 'main',
      files: [
        { path: 'src/app.ts', content: 'export const a = 2;\n' },
        { path: 'docs/new.md', content: '# New\n' },
      ],
      deletions: ['README.md'],
      message: 'Change things',
      author,
      previewedOn: base,
    });
    expect(fake.countSince(before)).toEqual({
      'git/get-ref': 1,
      'git/get-commit': 1,
      'git/create-tree': 1,
      'git/create-commit': 1,
      'git/update-ref': 1,
    });
    expect(pushed).toMatchObject({ parentSha: base, branch: 'main', created: false });
    expect(await fake.headOf('main')).toBe(pushed.commitSha);
    const { stdout } = await fake.store.git(['rev-list', '--count', `${base}..main`]);
    expect(stdout.toString().trim()).toBe('1');
    expect(await fake.fileOn('main', 'README.md')).toBeNull();
    expect(await fake.fileOn('main', 'docs/new.md')).toBe('# New\n');
  });

  it('retries on the new head when a race moved the branch without touching the pushed files, and refuses when it did', async () => {
    const { fake, repository } = await setUp();
    fake.onNextRefUpdate(async () => {
      await fake.commit('main', { 'other.txt': 'someone else\n' });
    });
    const pushed = await repository.pushFiles({
      branch: 'main',
      files: [{ path: 'src/app.ts', content: 'mine\n' }],
      message: 'Mine',
      author,
    });
    expect(await fake.fileOn('main', 'other.txt')).toBe('someone else\n');
    expect(await fake.fileOn('main', 'src/app.ts')).toBe('mine\n');
    expect(await fake.headOf('main')).toBe(pushed.commitSha);

    // Decided on one head, but meanwhile someone changed the same file: refused, nothing pushed.
    const decidedOn = await fake.headOf('main');
    const theirs = await fake.commit('main', { 'src/app.ts': 'theirs\n' });
    await expect(
      repository.pushFiles({
        branch: 'main',
        files: [{ path: 'src/app.ts', content: 'mine again\n' }],
        message: 'Again',
        author,
        previewedOn: decidedOn,
      }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('changing src/app.ts') });
    expect(await fake.headOf('main')).toBe(theirs);
  });

  it('never re-applies a pinned push on a moved branch, and recognises one that landed', async () => {
    const { fake, repository, base } = await setUp();
    const commitDate = new Date('2026-01-02T03:04:05Z');
    const input = {
      branch: 'main',
      files: [{ path: 'a.txt', content: 'a\n' }],
      message: 'Pinned',
      author,
      expectedHead: base,
      commitDate,
      acceptLanded: true,
    };
    const first = await repository.pushFiles(input);
    // The same pinned push again (a retry after a crash): the very same commit is already there.
    const again = await repository.pushFiles({ ...input, expectedHead: base });
    expect(again).toMatchObject({ commitSha: first.commitSha });
    await fake.commit('main', { 'b.txt': 'b\n' });
    await expect(repository.pushFiles({ ...input, acceptLanded: false })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('opens, lists, updates and merges pull requests pinned to the head commit, and reads CI and reviews', async () => {
    const { fake, repository } = await setUp();
    await repository.createBranch('aegis/feature', 'main');
    const pushed = await repository.pushFiles({
      branch: 'aegis/feature',
      files: [{ path: 'f.txt', content: 'f\n' }],
      message: 'Feature',
      author,
    });
    const pr = await repository.createPullRequest({
      authorId: 'u1',
      title: 'Feature',
      head: 'aegis/feature',
      base: 'main',
      draft: false,
    });
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      head: 'aegis/feature',
      base: 'main',
      url: `${fake.htmlUrl}/pull/1`,
    });
    expect((await repository.listPullRequests({ state: 'open', head: 'aegis/feature' })).map((p) => p.number)).toEqual([
      1,
    ]);
    expect(await repository.updatePullRequest({ number: 1, actorId: 'u1', title: 'Feature!' })).toMatchObject({
      title: 'Feature!',
    });

    expect(await repository.ciStatus(pushed.commitSha)).toBe('none');
    fake.setCheckRun(pushed.commitSha, { name: 'build', status: 'in_progress' });
    fake.setStatus(pushed.commitSha, { context: 'lint', state: 'success' });
    expect(await repository.ciStatus(pushed.commitSha)).toBe('pending');
    fake.setCheckRun(pushed.commitSha, { name: 'build', status: 'completed', conclusion: 'success' });
    expect(await repository.ciStatus(pushed.commitSha)).toBe('success');
    fake.setStatus(pushed.commitSha, { context: 'lint', state: 'failure' });
    expect(await repository.ciStatus(pushed.commitSha)).toBe('failure');

    expect(await repository.hasApprovingReview(1)).toBe(false);
    fake.addReview(1, { state: 'APPROVED', login: 'reviewer' });
    expect(await repository.hasApprovingReview(1)).toBe(true);

    const diff = await repository.diff('main', 'aegis/feature');
    expect(diff).toMatchObject({ headSha: pushed.commitSha, filesChanged: 1, additions: 1 });
    await expect(
      repository.mergePullRequest({ number: 1, actorId: 'u1', author, expectedHeadSha: 'f'.repeat(40) }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const merged = await repository.mergePullRequest({
      number: 1,
      actorId: 'u1',
      author,
      method: 'squash',
      expectedHeadSha: pushed.commitSha,
    });
    expect(merged.pullRequest).toMatchObject({ state: 'merged', mergeCommitSha: merged.sha });
    expect(await fake.headOf('main')).toBe(merged.sha);
    await repository.deleteBranch('aegis/feature');
    expect(await fake.headOf('aegis/feature')).toBeNull();
  });

  it('waits out short rate limits, and tells the caller how long to wait for long ones, never with the token', async () => {
    const { fake, repository } = await setUp({ basePath: '/api/v3', maxWait: 4 });
    fake.rateLimitNext('secondary', { retryAfterSeconds: 1 });
    fake.rateLimitNext('primary', { retryAfterSeconds: 1 });
    expect(await repository.headOf('main')).toMatch(/^[0-9a-f]{40}$/);
    fake.rateLimitNext('too-many', { retryAfterSeconds: 1 });
    expect((await repository.listBranches()).length).toBe(1);
    fake.rateLimitNext('primary', { retryAfterSeconds: 120 });
    const error = await repository.readFile('main', 'README.md').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Wait 1\d\d seconds/) });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
