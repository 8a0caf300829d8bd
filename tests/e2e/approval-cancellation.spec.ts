// An approval acts with its requester's authority, so it must not outlive it. A member's agent
// (MCP SDK client) files a push that needs approval; the OWNER removes that member on the room
// page; an ADMIN who still has the approval open then clicks Approve. The approval is cancelled,
// nothing is pushed, and the cancellation is in the audit log.
import { expect, test, type Page } from '@playwright/test';
import { db } from '@/lib/db';
import { branches } from '../fixtures/git';
import { connectAgent, resultText, type AgentCredentials } from '../fixtures/agents';
import { addTestMember, createTestRoom, type TestMember, type TestRoom } from '../fixtures/rooms';
import { signInViaApi, type TestUser } from '../fixtures/users';

/** A member's agent credentials: the member's own access token for the room. */
function memberCredentials(room: TestRoom, member: TestMember, role: string): AgentCredentials {
  return { userId: member.id, roomId: room.id, token: member.token, role };
}

const workflowPush = {
  branch: 'aegis/ci',
  message: 'Run the tests on pull requests',
  files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\n' }],
};

async function openApproval(page: Page, reviewer: TestUser, options: { live: boolean }) {
  await signInViaApi(page.request, reviewer);
  // Without the live updates, the page stays as it was loaded: a stale Approve button.
  if (!options.live) await page.route('**/api/approvals/stream', (route) => route.abort());
  await page.goto('/approvals');
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(item).toHaveCount(1);
  await item.getByRole('link', { name: /Review/ }).click();
  await expect(page.getByRole('button', { name: 'Approve' })).toBeVisible();
}

async function removeMemberInBrowser(page: Page, owner: TestUser, room: TestRoom, member: TestUser) {
  await signInViaApi(page.request, owner);
  await page.goto(`/rooms/${room.id}`);
  const members = page.getByRole('list', { name: 'Members' });
  const row = members.getByRole('listitem').filter({ hasText: member.email });
  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Remove' }).click();
  await expect(members).not.toContainText(member.email);
}

test('a removed member’s pending push is cancelled, never executed, however late an ADMIN approves', async ({
  page,
  browser,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent('streamable-http', memberCredentials(room, developer, 'DEVELOPER'), 'claude-code');
  // Held for approval. (Its session ends when the member is removed, so its answer is not awaited.)
  void agent.callTool({ name: 'push_files', arguments: workflowPush }).catch(() => {});

  // The ADMIN opens the held push for review; the OWNER then removes the developer.
  await expect.poll(() => db.approval.count({ where: { roomId: room.id } })).toBe(1);
  await openApproval(page, admin, { live: false });
  const ownerContext = await browser.newContext();
  await removeMemberInBrowser(await ownerContext.newPage(), room.owner, room, developer);

  // The approval was cancelled at once (the membership event), with the reason.
  const approval = await db.approval.findFirstOrThrow({ where: { roomId: room.id } });
  await expect
    .poll(async () => (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status)
    .toBe('cancelled');

  // The ADMIN's stale page still offers Approve: clicking it is refused, and runs nothing.
  await page.getByLabel('Comment (the agent sees it)').fill('ship it');
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('form', { name: 'Review' }).getByRole('alert')).toContainText(
    'This approval was cancelled: The requester is no longer a member of the room.',
  );
  await page.reload();
  await expect(page.getByRole('region', { name: 'Decision' })).toContainText(
    'This approval is cancelled: nothing was executed. The requester is no longer a member of the room.',
  );

  // Nothing reached the repository.
  expect(branches(room.origin)).toEqual(['main']);

  // The cancellation is in the audit log, linked to the held call, and no review was recorded.
  const outcomes = await db.auditEntry.findMany({
    where: { roomId: room.id, kind: 'outcome', callId: approval.decisionEntryId },
  });
  expect(outcomes).toEqual([
    expect.objectContaining({
      status: 'cancelled',
      result: 'cancelled: The requester is no longer a member of the room.',
      error: null,
    }),
  ]);
  expect(await db.approvalReview.count({ where: { approvalId: approval.id } })).toBe(0);
  const verified = await page.request.get(`/api/rooms/${room.id}/audit/verify`);
  expect(await verified.json()).toMatchObject({ intact: true });

  // The approvals history shows it as cancelled.
  await page.goto('/approvals?tab=history');
  await expect(page.getByRole('list', { name: 'Decided approvals' }).getByRole('listitem')).toContainText('cancelled');

  await ownerContext.close();
  await agent.close().catch(() => {});
});

test('a requester’s agent learns through wait_for_approval that the approval was cancelled', async ({ page }) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent('sse', memberCredentials(room, admin, 'ADMIN'), 'cursor');
  // Held for approval. (The session ends when the role drops below ADMIN; see below.)
  void agent.callTool({ name: 'push_files', arguments: workflowPush }).catch(() => {});
  await expect.poll(() => db.approval.count({ where: { roomId: room.id } })).toBe(1);
  const approval = await db.approval.findFirstOrThrow({ where: { roomId: room.id } });

  // The OWNER demotes the ADMIN to DEVELOPER on the room page: the call was made as ADMIN.
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const role = page.getByRole('form', { name: `Role of ${admin.email}` });
  await role.getByLabel(`Role for ${admin.email}`).selectOption('DEVELOPER');
  await role.getByRole('button', { name: 'Save role' }).click();

  await expect(role.getByLabel(`Role for ${admin.email}`)).toHaveValue('DEVELOPER');

  // Its ADMIN session is over; reconnected as DEVELOPER, the agent asks for the outcome.
  await agent.close().catch(() => {});
  const again = await connectAgent('streamable-http', memberCredentials(room, admin, 'DEVELOPER'), 'cursor');
  const asked = await again.callTool({ name: 'wait_for_approval', arguments: { approval_id: approval.id } });
  expect(asked.isError).toBe(true);
  expect(resultText(asked)).toContain(
    `Approval ${approval.id} was cancelled, and the action was not executed: The requester is now DEVELOPER in the room, below the ADMIN role the call was made with.`,
  );
  expect(branches(room.origin)).toEqual(['main']);
  expect(
    await db.auditEntry.count({
      where: {
        roomId: room.id,
        kind: 'outcome',
        callId: approval.decisionEntryId,
        status: 'cancelled',
        result: { startsWith: 'cancelled:' },
      },
    }),
  ).toBe(1);
  await again.close();
});
