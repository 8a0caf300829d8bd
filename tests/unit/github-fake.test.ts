// The fake GitHub the GitHub-room tests run against: it must hold itself and its callers to
// GitHub's OpenAPI description (a wrong response shape or an undocumented request fails loudly),
// and keep GitHub's semantics where Aegis depends on them (non-forced ref updates, races, `sha`
// rules of the contents API, rate limits, the Enterprise base path).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub, githubContract } from '../fixtures/github-server';

const owner = 'acme';
const repo = 'app';
const token = 'test-token-fake-github';
let fake: FakeGitHub | undefined;

async function start(options: { basePath?: string; contract?: 'api.github.com' | 'ghes-3.19' } = {}) {
  fake = await FakeGitHub.start({
    dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'fake-github-')), 'repo.git'),
    owner,
    repo,
    tokens: [token],
    ...options,
  });
  const base = await fake.commit('main', { 'README.md': 'hello\n' }, 'Initial commit');
  return {
    fake,
    base,
    octokit: new Octokit({ auth: token, baseUrl: fake.url, log: { debug() {}, info() {}, warn() {}, error() {} } }),
  };
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('the OpenAPI contract check', () => {
  it('finds what is wrong with a response shape', () => {
    const contract = githubContract();
    const matched = contract.match('GET', '/repos/acme/app/git/ref/heads%2Fmain')!;
    expect(matched.operationId).toBe('git/get-ref');
    expect(matched.params.ref).toBe('heads/main');
    const good = contract.sample('git-ref', {
      ref: 'refs/heads/main',
      object: { sha: 'a'.repeat(40), type: 'commit' },
    });
    expect(contract.checkResponse(matched, 200, good)).toEqual([]);
    expect(contract.checkResponse(matched, 200, { ref: 'refs/heads/main', object: { sha: 42 } })).toEqual(
      expect.arrayContaining([
        expect.stringContaining("must have required property 'node_id'"),
        expect.stringContaining('/object/sha must be string'),
      ]),
    );
    expect(contract.checkResponse(matched, 418, {})).toEqual(['status 418 is not documented for git/get-ref']);
  });

  it('finds what is wrong with a request', () => {
    const contract = githubContract();
    const matched = contract.match('PATCH', '/repos/acme/app/git/refs/heads%2Fmain')!;
    expect(contract.checkRequest(matched, { query: new URLSearchParams(), body: { sha: 'a'.repeat(40) } })).toEqual([]);
    expect(contract.checkRequest(matched, { query: new URLSearchParams('force=1'), body: { force: 'yes' } })).toEqual(
      expect.arrayContaining([
        'query parameter "force" is not documented',
        "request body must have required property 'sha'",
        'request body/force must be boolean',
      ]),
    );
    expect(contract.match('POST', '/repos/acme/app/git/push')).toBeNull();
  });

  it('fails the request loudly when the fake answers with a shape GitHub never returns', async () => {
    const { fake, octokit } = await start();
    fake.tamperNextResponse((body) => ({ ...(body as object), default_branch: 7 }));
    await expect(octokit.repos.get({ owner, repo })).rejects.toMatchObject({ status: 500 });
    expect(fake.violations).toEqual([
      expect.stringContaining('response breaks the contract of repos/get: 200 body/default_branch must be string'),
    ]);
    expect(() => fake.assertNoViolations()).toThrow(/break GitHub's OpenAPI description/);
  });

  it('refuses an undocumented request and records it', async () => {
    const { fake, octokit } = await start();
    await expect(octokit.request('POST /repos/{owner}/{repo}/git/push', { owner, repo })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        owner,
        repo,
        ref: 'heads/main',
        force: true,
      } as never),
    ).rejects.toMatchObject({ status: 400 });
    expect(fake.violations).toEqual([
      expect.stringContaining('GitHub documents no such operation'),
      expect.stringContaining(
        "request breaks the contract of git/update-ref: request body must have required property 'sha'",
      ),
    ]);
  });
});

describe('GitHub semantics', () => {
  it('makes real git objects, refuses a non-fast-forward ref update and loses a race like GitHub', async () => {
    const { fake, octokit, base } = await start();
    const blob = await octokit.git.createBlob({ owner, repo, content: 'one\n', encoding: 'utf-8' });
    const baseTree = (await octokit.git.getCommit({ owner, repo, commit_sha: base })).data.tree.sha;
    const tree = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseTree,
      tree: [{ path: 'src/one.ts', mode: '100644', type: 'blob', sha: blob.data.sha }],
    });
    const commit = await octokit.git.createCommit({
      owner,
      repo,
      message: 'Add one',
      tree: tree.data.sha,
      parents: [base],
    });
    // Someone else moves main right before our update lands: ours is no longer a fast-forward.
    fake.onNextRefUpdate(async () => {
      await fake.commit('main', { 'other.txt': 'theirs\n' });
    });
    await expect(octokit.git.updateRef({ owner, repo, ref: 'heads/main', sha: commit.data.sha })).rejects.toMatchObject(
      { status: 422 },
    );
    expect(await fake.fileOn('main', 'src/one.ts')).toBeNull();
    // A direct non-fast-forward is refused too; a fast-forward lands.
    await octokit.git.createRef({ owner, repo, ref: 'refs/heads/feature', sha: commit.data.sha });
    await expect(octokit.git.updateRef({ owner, repo, ref: 'heads/feature', sha: base })).rejects.toMatchObject({
      status: 422,
    });
    expect(await fake.headOf('feature')).toBe(commit.data.sha);
    const { stdout } = await fake.store.git(['cat-file', '-p', commit.data.sha]);
    expect(stdout.toString()).toContain(`tree ${tree.data.sha}`);
    fake.assertNoViolations();
  });

  it('applies the contents API `sha` rules', async () => {
    const { fake, octokit } = await start();
    const content = Buffer.from('v1\n').toString('base64');
    const created = await octokit.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: 'docs/a.md',
      message: 'Add',
      content,
      branch: 'main',
    });
    expect(created.status).toBe(201);
    await expect(
      octokit.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: 'docs/a.md',
        message: 'Again',
        content,
        branch: 'main',
      }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      octokit.repos.deleteFile({ owner, repo, path: 'docs/a.md', message: 'Rm', sha: 'b'.repeat(40), branch: 'main' }),
    ).rejects.toMatchObject({ status: 409 });
    await octokit.repos.deleteFile({
      owner,
      repo,
      path: 'docs/a.md',
      message: 'Rm',
      sha: created.data.content!.sha!,
      branch: 'main',
    });
    expect(await fake.fileOn('main', 'docs/a.md')).toBeNull();
    fake.assertNoViolations();
  });

  it('serves GitHub Enterprise under /api/v3 against the Enterprise description, with rate limits', async () => {
    const { fake, octokit } = await start({ basePath: '/api/v3', contract: 'ghes-3.19' });
    expect(fake.url).toMatch(/\/api\/v3$/);
    expect((await octokit.repos.get({ owner, repo })).data.full_name).toBe('acme/app');
    fake.rateLimitNext('primary', { retryAfterSeconds: 30 });
    const primary = await octokit.repos
      .get({ owner, repo })
      .catch((error: { status: number; response: { headers: Record<string, string> } }) => error);
    expect(primary).toMatchObject({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } });
    fake.rateLimitNext('too-many', { retryAfterSeconds: 2 });
    await expect(octokit.repos.get({ owner, repo })).rejects.toMatchObject({
      status: 429,
      response: { headers: { 'retry-after': '2' } },
    });
    const outside = await fetch(fake.url.replace('/api/v3', '') + '/repos/acme/app', {
      headers: { authorization: `token ${token}` },
    });
    expect(outside.status).toBe(404);
    expect(fake.violations).toEqual([expect.stringContaining('outside the API base path "/api/v3"')]);
  });
});
