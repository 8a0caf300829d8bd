// GitHub rooms end to end: a person creates the room in a real browser, agents work through the
// official MCP SDK client, a reviewer approves in the browser.
//
// GitHub itself cannot be reached from tests. The server started here (tests/fixtures/github-server)
// stands in for it, held to GitHub's own OpenAPI description (@octokit/openapi): every request
// Aegis sends and every response the stand-in returns is validated against it, and any mismatch
// fails this file (afterAll). Behind it is a real bare git repository, so the branches, commits
// and merges checked here are real git objects.
//
// Aegis reaches the stand-in on loopback, so it runs on an instance of its own that allows private
// networks; the shared test app keeps the production default (closed).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db } from '@/lib/db';
import { addMember } from '@/lib/rooms/members';
import { myTokenForIntegrations } from '@/lib/rooms/member-tokens';
import { disposeInstance, startInstance, type AppInstance } from '../fixtures/app-instance';
import { connectAgent, resultText } from '../fixtures/agents';
import { FakeGitHub } from '../fixtures/github-server';
import { createTestUser, type TestUser } from '../fixtures/users';

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

const TOKEN = 'ghp_e2eTokenThatMustNeverReachAnAgentOrTheAuditLog42';
const OWNER = 'acme';

let instance: AppInstance;
let github: FakeGitHub;
let enterprise: FakeGitHub;
let owner: TestUser;
let developer: TestUser;
let admin: TestUser;
let roomId: string;
const agents: Client[] = [];
/** Every text an agent received, to prove the token never reached one. */
const seen: string[] = [];
/** GitHub API requests per tool call, for the report. */
const requestCounts: Record<string, Record<string, number>> = {};

async function startGitHub(repo: string, options: { basePath?: string } = {}) {
  const fake = await FakeGitHub.start({
    dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'aegis-e2e-github-')), `${repo}.git`),
    owner: OWNER,
    repo,
    tokens: [TOKEN],
    ...(options.basePath ? { basePath: options.basePath, contract: 'ghes-3.19' as const } : {}),
  });
  await fake.commit('main', { 'README.md': '# App\n', 'src/app.ts': 'export const answer = 42;\n' }, 'Initial commit');
  return fake;
}

async function signIn(page: Page, user: TestUser) {
  const { csrfToken } = await (await page.request.get(`${instance.url}/api/auth/csrf`)).json();
  const response = await page.request.post(`${instance.url}/api/auth/callback/credentials`, {
    form: { csrfToken, email: user.email, password: user.password, json: 'true' },
  });
  expect(response.ok()).toBe(true);
}

async function createGitHubRoom(page: Page, fake: FakeGitHub, token = TOKEN): Promise<string> {
  await page.goto(`${instance.url}/rooms/new`);
  const form = page.getByRole('form', { name: 'Create room' });
  await form.getByLabel('Room name').fill(`github-${fake.repo}`);
  await form
    .getByRole('radio', { name: /GitHub/ })
    .first()
    .check();
  await form.getByLabel('Repository (owner/name)').fill(`${OWNER}/${fake.repo}`);
  await form.getByLabel('API base URL').fill(fake.url);
  await form.getByLabel('GitHub token').fill(token);
  await form.getByRole('button', { name: 'Create room' }).click();
  await page.waitForURL(/\/rooms\/[^/?]+\?created=1/, { timeout: 30_000 });
  return new URL(page.url()).pathname.split('/')[2]!;
}

async function agentFor(user: TestUser, role: 'DEVELOPER' | 'ADMIN' | 'OWNER', room = roomId) {
  const token = await myTokenForIntegrations(user.id, room);
  const agent = await connectAgent(
    'streamable-http',
    { userId: user.id, roomId: room, token, role },
    'claude-code',
    instance.url,
  );
  agents.push(agent);
  return agent;
}

/** Calls a tool, remembers what the agent saw, and counts the GitHub requests it made. */
async function call(agent: Client, name: string, args: Record<string, unknown>, fake = github, label?: string) {
  const before = fake.requests.length;
  const result = await agent.callTool({ name, arguments: args }, undefined, { timeout: 90_000 });
  seen.push(JSON.stringify(result));
  if (label) requestCounts[label] = fake.countSince(before);
  return result;
}

const json = <T>(result: unknown) => JSON.parse(resultText(result)) as T;

test.beforeAll(async () => {
  github = await startGitHub('app');
  enterprise = await startGitHub('enterprise-app', { basePath: '/api/v3' });
  instance = await startInstance({
    env: {
      AEGIS_ALLOW_PRIVATE_NETWORKS: 'true',
      AEGIS_GITHUB_WRITE_INTERVAL_MS: '0',
      AEGIS_GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS: '3',
      AEGIS_APPROVAL_WAIT_SECONDS: '60',
    },
  });
  [owner, developer, admin] = await Promise.all([
    createTestUser('owner'),
    createTestUser('developer'),
    createTestUser('admin'),
  ]);
});

test.afterAll(async () => {
  for (const agent of agents) await agent.close().catch(() => {});
  if (instance) await disposeInstance(instance);
  console.log(`GitHub API requests per tool call: ${JSON.stringify(requestCounts, null, 1)}`);
  try {
    github?.assertNoViolations();
    enterprise?.assertNoViolations();
  } finally {
    await github?.close();
    await enterprise?.close();
  }
});

test('an OWNER creates a GitHub room: a token that cannot write is refused naming the permission', async ({ page }) => {
  await signIn(page, owner);
  github.permissions = { admin: false, push: false, pull: true };
  await page.goto(`${instance.url}/rooms/new`);
  const form = page.getByRole('form', { name: 'Create room' });
  await form.getByLabel('Room name').fill('github-app');
  await form
    .getByRole('radio', { name: /GitHub/ })
    .first()
    .check();
  await expect(form.getByText(/Contents: read and write, Pull requests: read and write/)).toBeVisible();
  await form.getByLabel('Repository (owner/name)').fill(`${OWNER}/app`);
  await form.getByLabel('API base URL').fill(github.url);
  await form.getByLabel('GitHub token').fill(TOKEN);
  await form.getByRole('button', { name: 'Create room' }).click();
  await expect(form.getByText(/can read acme\/app but not write to it: it needs Contents: read and write/)).toBeVisible(
    { timeout: 30_000 },
  );

  github.permissions = { admin: false, push: true, pull: true };
  roomId = await createGitHubRoom(page, github);
  await addMember(owner.id, roomId, { email: developer.email, role: 'DEVELOPER' });
  await addMember(owner.id, roomId, { email: admin.email, role: 'ADMIN' });
  // The token is never shown again.
  await page.goto(`${instance.url}/rooms/${roomId}/settings`);
  await expect(page.locator('body')).not.toContainText(TOKEN);
});

test('agents read the GitHub repository with the same tools as on a git room', async () => {
  const agent = await agentFor(developer, 'DEVELOPER');
  const file = json<{ content: string }>(
    await call(
      agent,
      'get_file_contents',
      { owner: OWNER, repo: 'app', path: 'src/app.ts' },
      github,
      'get_file_contents',
    ),
  );
  expect(file.content).toBe('export const answer = 42;\n');
  const branches = json<{ name: string }[]>(await call(agent, 'list_branches', {}, github, 'list_branches'));
  expect(branches.map((b) => b.name)).toEqual(['main']);
  const other = await call(agent, 'get_file_contents', { owner: 'someone', repo: 'else', path: 'README.md' });
  expect(other.isError).toBe(true);
});

test('a DEVELOPER push to main is rewritten into a real GitHub pull request, and the agent gets its html_url', async () => {
  const agent = await agentFor(developer, 'DEVELOPER');
  const mainBefore = await github.headOf('main');
  const result = json<{ rewritten: boolean; pull_request: { number: number; html_url: string; head: string } }>(
    await call(
      agent,
      'push_files',
      {
        branch: 'main',
        message: 'Fix the answer',
        files: [{ path: 'src/app.ts', content: 'export const answer = 43;\n' }],
      },
      github,
      'push_files (rewritten: push + pull request)',
    ),
  );
  expect(result.rewritten).toBe(true);
  expect(result.pull_request.html_url).toBe(`${github.htmlUrl}/pull/${result.pull_request.number}`);
  expect(await github.headOf('main')).toBe(mainBefore);
  expect(await github.fileOn(result.pull_request.head, 'src/app.ts')).toBe('export const answer = 43;\n');
  expect(github.pullRequests()).toEqual([
    expect.objectContaining({ number: 1, head: result.pull_request.head, base: 'main', state: 'open' }),
  ]);
  const listed = json<{ number: number; html_url: string }[]>(
    await call(agent, 'list_pull_requests', {}, github, 'list_pull_requests'),
  );
  expect(listed).toEqual([expect.objectContaining({ number: 1, html_url: result.pull_request.html_url })]);
});

test('a push with a secret is blocked before anything reaches GitHub', async () => {
  const agent = await agentFor(developer, 'DEVELOPER');
  const key = [
    '-----BEGIN ',
    'RSA PRIVATE KEY-----\n',
    'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Cc3pCsJQpW1Wd8p1hYV4TzAvRkQ\n',
    '-----END ',
    'RSA PRIVATE KEY-----\n',
  ].join('');
  const before = github.requests.length;
  const result = await call(agent, 'push_files', {
    branch: 'aegis/deploy',
    message: 'Add deploy key',
    files: [{ path: 'deploy/id_rsa', content: key }],
  });
  expect(result.isError).toBe(true);
  expect(resultText(result)).toMatch(/secret/i);
  // Only reads (to describe the change to the policy) were sent; nothing was written.
  expect(github.requests.slice(before).every((r) => r.method === 'GET')).toBe(true);
  expect(await github.headOf('aegis/deploy')).toBeNull();
});

test('a push touching CI waits for approval; the reviewer reads the diff against the real head, and it lands exactly once', async ({
  page,
}) => {
  const agent = await agentFor(developer, 'DEVELOPER');
  await signIn(page, owner);
  const pending = agent.callTool(
    {
      name: 'push_files',
      arguments: {
        branch: 'aegis/ci',
        message: 'Run tests',
        files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\n' }],
      },
    },
    undefined,
    { timeout: 90_000, resetTimeoutOnProgress: true, onprogress: () => {} },
  );
  await page.goto(`${instance.url}/approvals`);
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(item).toHaveCount(1, { timeout: 30_000 });
  await item.getByRole('link', { name: /Review/ }).click();
  await expect(page.getByRole('region', { name: 'Diff' })).toContainText('+on: pull_request');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText('This approval is executed.', {
    timeout: 60_000,
  });
  const result = await pending;
  seen.push(JSON.stringify(result));
  expect(result.isError).toBeFalsy();
  const { commit } = json<{ commit: { sha: string; parent: string } }>(result);
  expect(await github.headOf('aegis/ci')).toBe(commit.sha);
  expect(commit.parent).toBe(await github.headOf('main'));
  expect(await github.fileOn('aegis/ci', '.github/workflows/ci.yml')).toBe('on: pull_request\n');
});

test('an ADMIN merge waits for CI: blocked while pending, then approved and merged on GitHub once CI is green', async ({
  page,
}) => {
  const agent = await agentFor(admin, 'ADMIN');
  const [pull] = github.pullRequests();
  const head = (await github.headOf(pull!.head))!;
  github.setCheckRun(head, { name: 'build', status: 'in_progress' });
  const blocked = await call(agent, 'merge_pull_request', { pullNumber: pull!.number, merge_method: 'squash' });
  expect(blocked.isError).toBe(true);
  expect(resultText(blocked)).toContain('CI checks have not passed');
  expect(github.pullRequests()[0]!.state).toBe('open');

  github.setCheckRun(head, { name: 'build', status: 'completed', conclusion: 'success' });
  await signIn(page, owner);
  const before = github.requests.length;
  const pending = agent.callTool(
    { name: 'merge_pull_request', arguments: { pull_number: pull!.number, merge_method: 'squash' } },
    undefined,
    {
      timeout: 90_000,
      resetTimeoutOnProgress: true,
      onprogress: () => {},
    },
  );
  await page.goto(`${instance.url}/approvals`);
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(item).toHaveCount(1, { timeout: 30_000 });
  await item.getByRole('link', { name: /Review/ }).click();
  await expect(page.getByRole('region', { name: 'Diff' })).toContainText('+export const answer = 43;');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText('This approval is executed.', {
    timeout: 60_000,
  });
  const result = await pending;
  seen.push(JSON.stringify(result));
  requestCounts['merge_pull_request (decided, approved, executed)'] = github.countSince(before);
  expect(result.isError).toBeFalsy();
  expect(github.pullRequests()[0]).toMatchObject({ state: 'closed', merged: true });
  expect(await github.fileOn('main', 'src/app.ts')).toBe('export const answer = 43;\n');
});

test("the room's pull requests page lists the GitHub pull requests made through Aegis, with GitHub's link and state", async ({
  page,
}) => {
  await signIn(page, owner);
  await page.goto(`${instance.url}/rooms/${roomId}/pulls?state=all`);
  const table = page.getByRole('table', { name: 'Pull requests' });
  const [pull] = github.pullRequests();
  const row = table.getByRole('row').filter({ hasText: `#${pull!.number}` });
  await expect(row).toContainText('merged');
  await expect(row.getByRole('link')).toHaveAttribute('href', `${github.htmlUrl}/pull/${pull!.number}`);
});

test('a push that loses a race retries on the new head when nobody touched its files, and is refused clearly when someone did', async () => {
  const agent = await agentFor(owner, 'OWNER');
  await github.commit('aegis/race', { 'a.txt': 'a\n' }, 'Start a branch');
  github.onNextRefUpdate(async () => {
    await github.commit('aegis/race', { 'b.txt': 'theirs\n' });
  });
  const retried = await call(
    agent,
    'push_files',
    { branch: 'aegis/race', message: 'Mine', files: [{ path: 'c.txt', content: 'mine\n' }] },
    github,
    'push_files (lost a race, retried)',
  );
  expect(retried.isError).toBeFalsy();
  expect(await github.fileOn('aegis/race', 'b.txt')).toBe('theirs\n');
  expect(await github.fileOn('aegis/race', 'c.txt')).toBe('mine\n');

  github.onNextRefUpdate(async () => {
    await github.commit('aegis/race', { 'c.txt': 'theirs too\n' });
  });
  const refused = await call(agent, 'push_files', {
    branch: 'aegis/race',
    message: 'Mine again',
    files: [{ path: 'c.txt', content: 'mine again\n' }],
  });
  expect(refused.isError).toBe(true);
  expect(resultText(refused)).toMatch(/moved/);
  expect(await github.fileOn('aegis/race', 'c.txt')).toBe('theirs too\n');
  const plain = await call(
    agent,
    'push_files',
    { branch: 'aegis/race', message: 'Plain push', files: [{ path: 'd.txt', content: 'd\n' }] },
    github,
    'push_files',
  );
  expect(plain.isError).toBeFalsy();
  const opened = await call(
    agent,
    'create_pull_request',
    { title: 'Race', head: 'aegis/race', base: 'main' },
    github,
    'create_pull_request',
  );
  expect(opened.isError).toBeFalsy();
});

test('file tools keep GitHub sha semantics on a GitHub room, and update_pull_request closes a pull request', async () => {
  const agent = await agentFor(owner, 'OWNER');
  const read = json<{ sha: string }>(await call(agent, 'get_file_contents', { path: 'a.txt', ref: 'aegis/race' }));
  const missingSha = await call(agent, 'create_or_update_file', {
    branch: 'aegis/race',
    path: 'a.txt',
    content: 'b\n',
    message: 'Edit',
  });
  expect(resultText(missingSha)).toContain(`give its current blob sha (${read.sha})`);
  const updated = await call(
    agent,
    'create_or_update_file',
    { branch: 'aegis/race', path: 'a.txt', content: 'b\n', message: 'Edit a', sha: read.sha },
    github,
    'create_or_update_file',
  );
  expect(updated.isError).toBeFalsy();
  expect(await github.fileOn('aegis/race', 'a.txt')).toBe('b\n');
  const stale = await call(agent, 'delete_file', {
    branch: 'aegis/race',
    path: 'a.txt',
    message: 'Remove a',
    sha: read.sha,
  });
  expect(resultText(stale)).toContain('changed since you read it');
  const { content } = json<{ content: { sha: string } }>(updated);
  expect(
    (
      await call(
        agent,
        'delete_file',
        { branch: 'aegis/race', path: 'a.txt', message: 'Remove a', sha: content.sha },
        github,
        'delete_file',
      )
    ).isError,
  ).toBeFalsy();
  expect(await github.fileOn('aegis/race', 'a.txt')).toBeNull();
  const race = github.pullRequests().find((p) => p.head === 'aegis/race')!;
  const closed = json<{ state: string; html_url: string }>(
    await call(
      agent,
      'update_pull_request',
      { pullNumber: race.number, state: 'closed' },
      github,
      'update_pull_request',
    ),
  );
  expect(closed).toMatchObject({ state: 'closed', html_url: `${github.htmlUrl}/pull/${race.number}` });
});

test("GitHub's rate limits: short ones are waited out, a long one tells the agent how long to wait", async () => {
  const agent = await agentFor(owner, 'OWNER');
  github.rateLimitNext('secondary', { retryAfterSeconds: 1 });
  const waited = await call(agent, 'list_branches', {});
  expect(waited.isError).toBeFalsy();
  github.rateLimitNext('primary', { retryAfterSeconds: 600, count: 3 });
  const limited = await call(agent, 'get_file_contents', { path: 'README.md', ref: 'main' });
  expect(limited.isError).toBe(true);
  expect(resultText(limited)).toMatch(/rate limit .* Wait \d+ seconds/);
});

test('a GitHub Enterprise room works under its /api/v3 base URL', async ({ page }) => {
  await signIn(page, owner);
  const enterpriseRoom = await createGitHubRoom(page, enterprise);
  const agent = await agentFor(owner, 'OWNER', enterpriseRoom);
  const file = json<{ content: string }>(await call(agent, 'get_file_contents', { path: 'README.md' }, enterprise));
  expect(file.content).toBe('# App\n');
  const pushed = await call(
    agent,
    'push_files',
    { branch: 'aegis/ghes', message: 'On GHES', files: [{ path: 'x.txt', content: 'x\n' }] },
    enterprise,
  );
  expect(pushed.isError).toBeFalsy();
  expect(await enterprise.fileOn('aegis/ghes', 'x.txt')).toBe('x\n');
  expect(enterprise.requests.every((r) => r.path.startsWith('/api/v3/'))).toBe(true);
});

test('the GitHub token never reaches an agent or the audit log', async () => {
  expect(seen.length).toBeGreaterThan(10);
  for (const text of seen) expect(text).not.toContain(TOKEN);
  const entries = await db.auditEntry.findMany({
    where: { roomId },
    select: { arguments: true, reason: true, result: true, error: true },
  });
  expect(entries.length).toBeGreaterThan(10);
  expect(JSON.stringify(entries)).not.toContain(TOKEN);
  const room = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { repositorySecret: true } });
  expect(room.repositorySecret).not.toContain(TOKEN);
  expect(instance.output()).not.toContain(TOKEN);
});
