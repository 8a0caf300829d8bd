// A merge clicked in the dashboard is a merge like an agent's: decided by the room's policy for the
// clicking member's role, pinned to the head commit the page showed, and written to the audit
// chain; and nobody merges a pull request their own agent opened without another reviewer.
// Agents are the official MCP SDK client; reviewers use a real browser; git and the audit log
// (read over HTTP, as the dashboard's export does) say afterwards what happened.
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Role } from '@/lib/generated/prisma/enums';
import { callOk, connectAgent, resultText, type AgentCredentials } from '../fixtures/agents';
import { git, gitLog } from '../fixtures/git';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { signInViaApi, type TestUser } from '../fixtures/users';

type AuditRecord = {
  userId: string;
  role: string;
  sessionId: string | null;
  clientName: string | null;
  tool: string;
  arguments: Record<string, unknown>;
  decision: string;
  ruleId: string | null;
  reason: string | null;
  outcome: { status: string; commitSha: string | null; error: string | null } | null;
};

/**
 * What a member's agent connects with. Today the room's shared access token with the member's
 * user ID; once every member has their own token, this is the one place to hand it theirs.
 */
/** Each member's agent uses that member's own token (the OWNER's is the room fixture's). */
function agentCredentials(room: TestRoom, member: TestUser & { token?: string }, role: Role): AgentCredentials {
  return { userId: member.id, roomId: room.id, token: member.token ?? room.token, role };
}

async function memberAgent(room: TestRoom, member: TestUser & { token?: string }, role: Role): Promise<Client> {
  return connectAgent('streamable-http', agentCredentials(room, member, role), 'claude-code');
}

/** The member's agent pushes `docs/ok.md` to aegis/docs and opens a pull request; returns its number and head. */
async function openDocsPullRequest(agent: Client) {
  const pushed = await callOk<{ commit: { sha: string } }>(agent, 'push_files', {
    branch: 'aegis/docs',
    message: 'Document the answer',
    files: [{ path: 'docs/ok.md', content: '# The answer\n\nIt is 42.\n' }],
  });
  const pr = await callOk<{ number: number }>(agent, 'create_pull_request', {
    title: 'Document the answer',
    head: 'aegis/docs',
    base: 'main',
  });
  return { number: pr.number, head: pushed.commit.sha };
}

/** The same agent slips another commit onto the pull request's branch. */
async function pushEvil(agent: Client): Promise<string> {
  const pushed = await callOk<{ commit: { sha: string } }>(agent, 'push_files', {
    branch: 'aegis/docs',
    message: 'Small follow-up',
    files: [{ path: 'src/evil.ts', content: 'export const steal = () => process.env;\n' }],
  });
  return pushed.commit.sha;
}

async function clickMerge(page: Page) {
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Merge', exact: true }).click();
}

/** The room's merge_pull_request calls, oldest first, from the audit export (signed in as `page`'s user). */
async function mergeCalls(page: Page, roomId: string): Promise<AuditRecord[]> {
  const response = await page.request.get(`/api/audit/export?format=jsonl&room=${roomId}&tool=merge_pull_request`);
  expect(response.ok()).toBe(true);
  const text = (await response.text()).trim();
  const records = text ? text.split('\n').map((line) => JSON.parse(line) as AuditRecord & { seq: number }) : [];
  return records.sort((a, b) => a.seq - b.seq);
}

async function signedInPage(browser: Browser, user: TestUser): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.AEGIS_TEST_URL });
  const page = await context.newPage();
  await signInViaApi(page.request, user);
  return page;
}

async function approveInInbox(page: Page, requester: TestUser) {
  await page.goto('/approvals');
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('merge_pull_request');
  await expect(item).toContainText(requester.name);
  await expect(item).toContainText('dashboard');
  await item.getByRole('link', { name: /Review/ }).click();
  await expect(page.getByRole('region', { name: 'Diff' })).toContainText('docs/ok.md');
  await page.getByRole('button', { name: 'Approve' }).click();
}

test('a merge clicked on a page whose branch moved since is refused, main is unchanged and the refusal is audited', async ({
  page,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await memberAgent(room, developer, 'DEVELOPER');
  const { number, head: reviewed } = await openDocsPullRequest(agent);
  const mainBefore = gitLog(room.origin, 'main');

  // The OWNER reviews a pull request that only documents something.
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  const files = page.getByRole('list', { name: 'Files changed' });
  await expect(files.getByRole('listitem')).toHaveText([/docs\/ok\.md/]);

  // Meanwhile the agent pushes code to the same branch; the reviewer merges from the page they read.
  const evil = await pushEvil(agent);
  await clickMerge(page);
  await expect(page.getByRole('alert').filter({ hasText: 'The branch moved' })).toContainText('Nothing was merged');

  // Nothing reached main, the pull request is still open, and the page now shows what the branch holds.
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);
  await expect(files.getByRole('listitem').filter({ hasText: 'src/evil.ts' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Changes', exact: true })).toContainText(evil.slice(0, 12));
  await expect(page.getByRole('region', { name: 'Merged' })).toHaveCount(0);
  // Merge now offers the commit the page shows.
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(page.getByRole('group', { name: 'Confirm' })).toContainText(`Merge aegis/docs at ${evil.slice(0, 7)}`);
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Cancel' }).click();

  // The refusal is in the audit chain, by the OWNER from the dashboard, naming the commit reviewed.
  const calls = await mergeCalls(page, room.id);
  expect(calls).toEqual([
    expect.objectContaining({
      userId: room.owner.id,
      role: 'OWNER',
      sessionId: null,
      clientName: 'dashboard',
      decision: 'invalid',
      arguments: { pullNumber: number, sha: reviewed },
      reason: expect.stringContaining('The branch moved'),
      outcome: null,
    }),
  ]);
  await agent.close();
});

test('an ADMIN cannot merge the pull request their own agent opened; another ADMIN approves and exactly the reviewed head is merged', async ({
  page,
  browser,
}) => {
  const room = await createTestRoom();
  const author = await addTestMember(room, 'ADMIN');
  const reviewer = await addTestMember(room, 'ADMIN');
  const agent = await memberAgent(room, author, 'ADMIN');
  const { number, head } = await openDocsPullRequest(agent);
  const mainBefore = gitLog(room.origin, 'main');

  await signInViaApi(page.request, author);
  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  const review = page.getByRole('region', { name: 'Review' });
  await expect(review).toContainText('You opened this pull request (through your agent), so you cannot merge it alone');
  await clickMerge(page);
  await expect(review.getByRole('status')).toContainText('Not merged yet: you opened this pull request');
  await expect(page.getByRole('list', { name: 'Merges waiting for approval' })).toContainText(author.name);
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);

  // The author cannot approve it themselves.
  await review.getByRole('link', { name: 'Open the approval' }).first().click();
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText(
    'You requested this action, so someone else must review it.',
  );
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  // Another ADMIN approves in the inbox: the merge runs, of exactly the head the author's page showed.
  const reviewerPage = await signedInPage(browser, reviewer);
  await approveInInbox(reviewerPage, author);
  await expect(reviewerPage.getByRole('region', { name: 'Decision' })).toContainText('This approval is executed.', {
    timeout: 30_000,
  });
  expect(gitLog(room.origin, 'main')[0]!.sha).toBe(head);
  expect(git(room.origin, 'show', 'main:docs/ok.md')).toContain('It is 42.');

  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  await expect(page.getByRole('region', { name: 'Merged' })).toBeVisible();
  const calls = await mergeCalls(page, room.id);
  expect(calls).toEqual([
    expect.objectContaining({
      userId: author.id,
      role: 'ADMIN',
      clientName: 'dashboard',
      decision: 'require_approval',
      arguments: { pullNumber: number, sha: head },
      outcome: expect.objectContaining({ status: 'ok', commitSha: head }),
    }),
  ]);
  await reviewerPage.context().close();
  await agent.close();
});

test('an OWNER whose agent opened a pull request needs another reviewer although the policy allows OWNER merges; a branch moved before the approval is not merged', async ({
  page,
  browser,
}) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await memberAgent(room, room.owner, 'OWNER');
  const { number } = await openDocsPullRequest(agent);
  const mainBefore = gitLog(room.origin, 'main');

  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  await clickMerge(page);
  await expect(page.getByRole('region', { name: 'Review' }).getByRole('status')).toContainText(
    'another reviewer (an ADMIN or OWNER) must approve its merge',
  );
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);

  // The approval is for the commit the OWNER saw; the agent moves the branch before anyone approves.
  await pushEvil(agent);
  const adminPage = await signedInPage(browser, admin);
  await approveInInbox(adminPage, room.owner);
  await expect(adminPage.getByRole('region', { name: 'Decision' })).toContainText('This approval is failed.', {
    timeout: 30_000,
  });
  await expect(adminPage.getByRole('region', { name: 'Decision' })).toContainText('The branch moved');
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);

  const [call] = await mergeCalls(page, room.id);
  expect(call).toMatchObject({
    userId: room.owner.id,
    role: 'OWNER',
    decision: 'require_approval',
    ruleId: null,
    reason: expect.stringContaining('the merging member opened this pull request'),
    outcome: expect.objectContaining({ status: 'error', error: expect.stringContaining('The branch moved') }),
  });
  await adminPage.context().close();
  await agent.close();
});

test("a DEVELOPER's merge is blocked by the room's policy with its message and changes nothing", async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await memberAgent(room, room.owner, 'OWNER');
  const { number } = await openDocsPullRequest(agent);
  const mainBefore = gitLog(room.origin, 'main');

  await signInViaApi(page.request, developer);
  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  await expect(page.getByRole('button', { name: 'Close', exact: true })).toHaveCount(0);
  await clickMerge(page);
  await expect(page.getByRole('alert').filter({ hasText: 'cannot merge pull requests' })).toBeVisible();
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);
  await page.reload();
  await expect(page.getByRole('region', { name: 'Merged' })).toHaveCount(0);

  const calls = await mergeCalls(page, room.id);
  expect(calls).toEqual([
    expect.objectContaining({
      userId: developer.id,
      role: 'DEVELOPER',
      clientName: 'dashboard',
      decision: 'block',
      ruleId: 'no-autonomous-merge',
      outcome: null,
    }),
  ]);
  await agent.close();
});

test("an OWNER's allowed merge writes its decision and outcome to the audit chain, which verifies", async ({
  page,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await memberAgent(room, developer, 'DEVELOPER');
  const { number, head } = await openDocsPullRequest(agent);

  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}/pulls/${number}`);
  await clickMerge(page);
  await expect(page.getByRole('region', { name: 'Merged' })).toBeVisible();
  const mergeSha = (await page.getByTestId('merge-commit-sha').textContent())!.trim();
  expect(mergeSha).toBe(head); // main had not moved: a fast-forward to the reviewed head
  expect(gitLog(room.origin, 'main')[0]!.sha).toBe(head);

  const calls = await mergeCalls(page, room.id);
  expect(calls).toEqual([
    expect.objectContaining({
      userId: room.owner.id,
      role: 'OWNER',
      clientName: 'dashboard',
      decision: 'allow',
      ruleId: 'owner-allow',
      arguments: { pullNumber: number, sha: head },
      outcome: expect.objectContaining({ status: 'ok', commitSha: mergeSha }),
    }),
  ]);

  await page.goto(`/audit?room=${room.id}`);
  const integrity = page.getByRole('region', { name: 'Chain integrity' });
  await integrity.getByRole('button', { name: 'Verify chain' }).click();
  await expect(integrity.getByRole('status')).toHaveText(/Chain intact \(\d+ entries\)/);
  await agent.close();
});

test("an agent's merge_pull_request pinned with sha is refused once the branch moved, and merges exactly that commit otherwise", async ({
  page,
}) => {
  const room = await createTestRoom();
  const agent = await memberAgent(room, room.owner, 'OWNER');
  const { number, head: reviewed } = await openDocsPullRequest(agent);
  const mainBefore = gitLog(room.origin, 'main');
  const moved = await pushEvil(agent);

  const refused = await agent.callTool({
    name: 'merge_pull_request',
    arguments: { pullNumber: number, sha: reviewed },
  });
  expect(refused.isError).toBe(true);
  expect(resultText(refused)).toContain('The branch moved');
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);

  const merged = await callOk<{ sha: string }>(agent, 'merge_pull_request', { pullNumber: number, sha: moved });
  expect(merged.sha).toBe(moved);
  expect(gitLog(room.origin, 'main')[0]!.sha).toBe(moved);

  await signInViaApi(page.request, room.owner);
  const calls = await mergeCalls(page, room.id);
  expect(calls.map((c) => [c.clientName, c.decision, c.arguments.sha])).toEqual([
    ['claude-code', 'invalid', reviewed],
    ['claude-code', 'allow', moved],
  ]);
  await agent.close();
});
