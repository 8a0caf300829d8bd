// What a reviewer's decision leaves behind, told the way each side meets it: the agent (the
// official MCP SDK client) learns who approved or denied its held call and the reviewer's comment
// — from the held call itself and from wait_for_approval; the approval page keeps showing the diff
// that was approved after it landed; and the audit log reads a denial as denied, not as an error.
import { expect, test, type Page } from '@playwright/test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { db } from '@/lib/db';
import { branches, git } from '../fixtures/git';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { signInViaApi, type TestUser } from '../fixtures/users';
import { callOk, connectAgent, resultText } from '../fixtures/agents';

// Each story runs an agent's held call, a reviewer's decision and the action itself.
test.slow();

// A CI workflow is a sensitive path: the default policy holds a DEVELOPER's push for approval.
const workflowPush = {
  branch: 'aegis/ci',
  message: 'Run the tests on pull requests',
  files: [
    { path: '.github/workflows/ci.yml', content: 'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n' },
  ],
};

type Reviewed = {
  approval: {
    id: string;
    decision: string;
    message: string;
    reviews: { decision: string; reviewer: { name: string; email: string | null }; comment: string | null }[];
  };
};

/** The agent's call, held for approval; resolves with what the agent finally gets, as an agent would. */
function heldCall(agent: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return agent
    .callTool({ name, arguments: args }, undefined, { resetTimeoutOnProgress: true, onprogress: () => {} })
    .then(async (result) => {
      // On a slow machine the reviewer may take longer than the server holds the call: the agent
      // then waits on with wait_for_approval, as the pending result tells it to.
      const notFinal = (r: CallToolResult) =>
        !r.isError && /"status": "(pending_approval|executing)"/.test(resultText(r));
      if (!notFinal(result as CallToolResult)) return result as CallToolResult;
      const { approval_id } = JSON.parse(resultText(result)) as { approval_id: string };
      for (;;) {
        const waited = (await agent.callTool({
          name: 'wait_for_approval',
          arguments: { approval_id },
        })) as CallToolResult;
        if (!notFinal(waited)) return waited;
      }
    });
}

/** The reviewer opens the held call from the live inbox, comments and decides; returns the approval id. */
async function review(page: Page, decision: 'Approve' | 'Deny', comment: string): Promise<string> {
  // How the inbox hears of it live is tests/e2e/approvals.spec.ts's story; here the reviewer may
  // also reload (on a loaded machine the agent's call can take a while to be decided).
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(async () => {
    if ((await item.count()) === 0) await page.reload();
    await expect(item).toHaveCount(1, { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await item.getByRole('link', { name: /Review/ }).click();
  await expect(page).toHaveURL(/\/approvals\/[^/?]+$/);
  const approvalId = new URL(page.url()).pathname.split('/').pop()!;
  await page.getByLabel('Comment (the agent sees it)').fill(comment);
  await page.getByRole('button', { name: decision }).click();
  // Approving runs the action before the page answers.
  // (The form's own answer, or the page refreshed live by then.)
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText(
    decision === 'Approve'
      ? /Approved: the action was executed\.|This approval is executed\./
      : /Denied\. The agent is told|This approval is denied\./,
    { timeout: 60_000 },
  );
  return approvalId;
}

function expectApprovedBy(result: CallToolResult, reviewer: TestUser, comment: string): Reviewed['approval'] {
  expect(result.isError, resultText(result)).toBeFalsy();
  const { approval } = JSON.parse(resultText(result)) as Reviewed;
  expect(approval.decision).toBe('approved');
  expect(approval.reviews).toEqual([
    expect.objectContaining({
      decision: 'approved',
      reviewer: { name: reviewer.name, email: reviewer.email },
      comment,
    }),
  ]);
  expect(approval.message).toBe(`Approved by ${reviewer.name} (${reviewer.email}): "${comment}".`);
  return approval;
}

/** A room whose DEVELOPER's agent is connected, and its OWNER on the approvals inbox. */
async function developerAgentWithReviewer(page: Page) {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await connectAgent('streamable-http', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  await reviewerPage(page, room);
  return { room, agent };
}

async function reviewerPage(page: Page, room: TestRoom) {
  await signInViaApi(page.request, room.owner);
  await page.goto('/approvals');
  await expect(page.getByText('Nothing waits for your review')).toBeVisible();
}

test('an approved push tells the agent who approved it and why; its page keeps the diff that was approved', async ({
  page,
}) => {
  const { room, agent } = await developerAgentWithReviewer(page);

  const call = heldCall(agent, 'push_files', workflowPush);
  const approvalId = await review(page, 'Approve', 'Looks fine, ship it');

  // The held call's result keeps the push's own fields and says who approved it, with the comment.
  const result = await call;
  const approval = expectApprovedBy(result, room.owner, 'Looks fine, ship it');
  expect(approval.id).toBe(approvalId);
  const pushed = JSON.parse(resultText(result)) as { ref: string; commit: { sha: string } };
  expect(pushed.ref).toBe('refs/heads/aegis/ci');
  expect(git(room.origin, 'rev-parse', 'aegis/ci')).toBe(pushed.commit.sha);

  // wait_for_approval tells the same, later.
  const later = await agent.callTool({ name: 'wait_for_approval', arguments: { approval_id: approvalId } });
  expectApprovedBy(later as CallToolResult, room.owner, 'Looks fine, ship it');
  expect(JSON.parse(resultText(later)).commit.sha).toBe(pushed.commit.sha);

  // After the push landed, the approval page still shows what was approved.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText('This approval is executed.');
  const diff = page.getByRole('region', { name: 'Diff' });
  await expect(diff).toContainText('.github/workflows/ci.yml');
  await expect(diff).toContainText('+on: pull_request');
  await expect(diff).toContainText('+    runs-on: ubuntu-latest');
  await expect(diff).not.toContainText('No changes.');
  await expect(page.getByRole('list', { name: 'Reviews' })).toContainText(
    `${room.owner.name} approved: “Looks fine, ship it”`,
  );

  // The audit log's outcome of the call names the reviewer.
  await page.goto(`/audit?room=${room.id}&tool=push_files`);
  await page
    .getByRole('table', { name: 'Audit log' })
    .getByRole('link', { name: /Details of push_files/ })
    .click();
  const outcomes = page.getByRole('list', { name: 'Outcomes' });
  await expect(outcomes).toContainText('ok');
  await expect(outcomes).toContainText(`Approved by ${room.owner.name}`);
  await agent.close();
});

test('an approved merge keeps showing the merged changes on its approval page', async ({ page }) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent('sse', { userId: admin.id, roomId: room.id, token: admin.token, role: 'ADMIN' });
  await callOk(agent, 'push_files', {
    branch: 'aegis/docs',
    message: 'Document the answer',
    files: [{ path: 'docs/answer.md', content: '# The answer\n\nIt is 42.\n' }],
  });
  const pr = await callOk<{ number: number }>(agent, 'create_pull_request', {
    title: 'Document the answer',
    head: 'aegis/docs',
    base: 'main',
  });
  await reviewerPage(page, room);

  // The default policy holds an ADMIN's merge for another reviewer.
  const call = heldCall(agent, 'merge_pull_request', { pullNumber: pr.number });
  const approvalId = await review(page, 'Approve', 'Docs only');
  const result = await call;
  expectApprovedBy(result, room.owner, 'Docs only');
  expect(JSON.parse(resultText(result))).toMatchObject({ merged: true });
  expect(git(room.origin, 'show', 'main:docs/answer.md')).toContain('It is 42.');

  await page.goto(`/approvals/${approvalId}`);
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText('This approval is executed.');
  const diff = page.getByRole('region', { name: 'Diff' });
  await expect(diff).toContainText('docs/answer.md');
  await expect(diff).toContainText('+It is 42.');
  await expect(diff).not.toContainText('No changes.');
  await agent.close();
});

test('a denied push tells the agent who denied it and why; the audit log reads it as denied', async ({ page }) => {
  const { room, agent } = await developerAgentWithReviewer(page);

  const call = heldCall(agent, 'push_files', workflowPush);
  const approvalId = await review(page, 'Deny', 'Not this week');
  const denial = `Denied by ${room.owner.name} (${room.owner.email}): "Not this week". The action was not executed.`;

  const result = await call;
  expect(result.isError).toBe(true);
  expect(resultText(result)).toBe(denial);
  const later = await agent.callTool({ name: 'wait_for_approval', arguments: { approval_id: approvalId } });
  expect(later.isError).toBe(true);
  expect(resultText(later)).toBe(denial);
  expect(branches(room.origin)).toEqual(['main']);

  // The reviewer reads the call in the audit log: its outcome is "denied", not an error.
  await page.goto(`/audit?room=${room.id}&tool=push_files`);
  const log = page.getByRole('table', { name: 'Audit log' });
  const row = log.getByRole('row', { name: /push_files/ });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('require approval');
  await expect(row).toContainText('denied');
  await expect(row).not.toContainText('error');
  await log.getByRole('link', { name: /Details of push_files/ }).click();
  const outcomes = page.getByRole('list', { name: 'Outcomes' });
  await expect(outcomes).toContainText('denied');
  await expect(outcomes).toContainText(`Denied by ${room.owner.name} (${room.owner.email}): "Not this week"`);
  await expect(outcomes).not.toContainText('error');

  // As stored, and the chain still verifies.
  const approval = await db.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const stored = await db.auditEntry.findMany({
    where: { roomId: room.id, kind: 'outcome', callId: approval.decisionEntryId },
  });
  expect(stored).toEqual([expect.objectContaining({ status: 'denied', error: null })]);
  await page.getByRole('link', { name: `← Audit log of ${room.name}` }).click();
  const integrity = page.getByRole('region', { name: 'Chain integrity' });
  await integrity.getByRole('button', { name: 'Verify chain' }).click();
  await expect(integrity.getByRole('status')).toHaveText(/Chain intact/);
  await agent.close();
});
