// Policies deciding live calls, and humans approving: a DEVELOPER's agent (the official MCP SDK
// client) works on a real repository while a reviewer uses the inbox in a real browser.
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { reviewApproval } from '@/lib/approvals/review-approval';
import { branches, git, gitLog } from '../fixtures/git';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';
import { callOk, connectAgent, resultText } from '../fixtures/agents';

// Assembled here so the repository itself holds no scannable key.
const PRIVATE_KEY = [
  '-----BEGIN ',
  'RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Cc3pCsJQpW1Wd8p1hYV4TzAvRkQ\n',
  '-----END ',
  'RSA PRIVATE KEY-----\n',
].join('');

async function developerAgent() {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await connectAgent(
    'streamable-http',
    { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' },
    'claude-code',
  );
  return { room, developer, agent };
}

const workflowPush = {
  branch: 'aegis/ci',
  message: 'Run the tests on pull requests',
  files: [
    { path: '.github/workflows/ci.yml', content: 'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n' },
  ],
};

test('a DEVELOPER push to main is rewritten into a branch and a pull request', async () => {
  const { room, agent } = await developerAgent();
  const mainBefore = gitLog(room.origin, 'main');
  const result = await callOk<{
    rewritten: boolean;
    message: string;
    pull_request: { number: number; url: string; head: string };
  }>(agent, 'push_files', {
    branch: 'main',
    message: 'Fix the answer',
    files: [{ path: 'src/app.ts', content: 'export const answer = 43;\n' }],
  });
  expect(result.rewritten).toBe(true);
  expect(result.message).toContain('pull request #1');
  expect(result.pull_request.url).toContain(`/rooms/${room.id}/pulls/1`);
  expect(result.pull_request.head).toMatch(/^aegis\/main-[0-9a-f]{6}$/);

  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);
  expect(git(room.origin, 'show', `${result.pull_request.head}:src/app.ts`)).toBe('export const answer = 43;');
  const prs = await callOk<{ number: number; base: string; head: string }[]>(agent, 'list_pull_requests', {});
  expect(prs).toEqual([expect.objectContaining({ number: 1, base: 'main', head: result.pull_request.head })]);
  await agent.close();
});

test('a push containing a private key is blocked with the rule message and changes nothing', async () => {
  const { room, agent } = await developerAgent();
  const before = { log: gitLog(room.origin, 'main'), branches: branches(room.origin) };
  const result = await agent.callTool({
    name: 'push_files',
    arguments: {
      branch: 'aegis/deploy',
      message: 'Add deploy key',
      files: [{ path: 'deploy/id_rsa', content: PRIVATE_KEY }],
    },
  });
  expect(result.isError).toBe(true);
  expect(resultText(result)).toMatch(/secret/i);
  expect(resultText(result)).not.toContain('MIIEowIBAAKCAQEA');
  expect(gitLog(room.origin, 'main')).toEqual(before.log);
  expect(branches(room.origin)).toEqual(before.branches);
  await agent.close();
});

for (const decision of ['approve', 'deny'] as const) {
  test(`a push touching CI waits; the reviewer sees it live, reads the diff and ${decision}s`, async ({ page }) => {
    const { room, developer, agent } = await developerAgent();
    await signInViaApi(page.request, room.owner);
    await page.goto('/approvals');
    await expect(page.getByText('Nothing waits for your review')).toBeVisible();

    const progress: number[] = [];
    const call = agent.callTool({ name: 'push_files', arguments: workflowPush }, undefined, {
      onprogress: (p) => progress.push(p.progress),
      resetTimeoutOnProgress: true,
    });

    // It appears without a reload.
    const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('push_files');
    await expect(item).toContainText(developer.name);
    await expect(item).toContainText('claude-code');
    await expect(page.getByRole('link', { name: 'Approvals' })).toContainText('1');
    await item.getByRole('link', { name: /Review/ }).click();

    await expect(page.getByRole('region', { name: 'Diff' })).toContainText('+on: pull_request');
    await expect(page.getByRole('region', { name: 'Diff' })).toContainText('.github/workflows/ci.yml');
    await page.getByLabel('Comment (the agent sees it)').fill(decision === 'approve' ? 'Looks fine' : 'Not this week');
    await page.getByRole('button', { name: decision === 'approve' ? 'Approve' : 'Deny' }).click();
    // Approving runs the push (fetch, commit, push) before the page answers.
    await expect(page.getByRole('region', { name: 'Decision' })).toContainText(
      decision === 'approve' ? 'This approval is executed.' : 'This approval is denied.',
      { timeout: 30_000 },
    );

    const result = await call;
    if (decision === 'approve') {
      expect(result.isError).toBeFalsy();
      const { commit } = JSON.parse(resultText(result));
      expect(git(room.origin, 'show', 'aegis/ci:.github/workflows/ci.yml')).toContain('on: pull_request');
      expect(gitLog(room.origin, 'aegis/ci')[0]).toMatchObject({ sha: commit.sha, subject: workflowPush.message });
    } else {
      expect(result.isError).toBe(true);
      expect(resultText(result)).toContain('Not this week');
      expect(branches(room.origin)).toEqual(['main']);
    }
    await agent.close();
  });
}

test('the requester cannot approve their own request', async ({ page }) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent('sse', { userId: admin.id, roomId: room.id, token: admin.token, role: 'ADMIN' });
  const call = agent.callTool({ name: 'push_files', arguments: workflowPush });
  const approval = await expect
    .poll(() => db.approval.findFirst({ where: { roomId: room.id } }))
    .toBeTruthy()
    .then(() => db.approval.findFirstOrThrow({ where: { roomId: room.id } }));
  await expect(reviewApproval(admin.id, approval.id, { decision: 'approve' })).rejects.toThrow(
    'You cannot review your own request',
  );

  await signInViaApi(page.request, admin);
  await page.goto(`/approvals/${approval.id}`);
  await expect(page.getByText('You requested this action, so someone else must review it.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await reviewApproval(room.owner.id, approval.id, { decision: 'deny', comment: 'no' });
  expect((await call).isError).toBe(true);
  await agent.close();
});

test('an expired approval is never executed', async () => {
  const { room, agent } = await developerAgent();
  const call = agent.callTool({ name: 'push_files', arguments: workflowPush });
  await expect.poll(() => db.approval.count({ where: { roomId: room.id } })).toBe(1);
  const approval = await db.approval.findFirstOrThrow({ where: { roomId: room.id } });
  await db.approval.update({ where: { id: approval.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

  await expect(reviewApproval(room.owner.id, approval.id, { decision: 'approve' })).rejects.toThrow(/expired/);
  const result = await call;
  expect(result.isError).toBe(true);
  expect(resultText(result)).toMatch(/expired/);
  expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('expired');
  expect(branches(room.origin)).toEqual(['main']);
  await agent.close();
});

test('wait_for_approval returns the outcome of a decision made after the first wait ended', async () => {
  const { room, agent } = await developerAgent();
  const first = await callOk<{ status: string; approval_id: string }>(agent, 'push_files', workflowPush);
  expect(first.status).toBe('pending_approval');
  expect(branches(room.origin)).toEqual(['main']);

  await reviewApproval(room.owner.id, first.approval_id, { decision: 'approve', comment: 'ok' });
  const outcome = await callOk<{ commit: { sha: string } }>(agent, 'wait_for_approval', {
    approval_id: first.approval_id,
  });
  expect(gitLog(room.origin, 'aegis/ci')[0]!.sha).toBe(outcome.commit.sha);
  await agent.close();
});

test('the room webhook receives signed events for a new approval and its decision', async () => {
  const { createServer } = await import('node:http');
  const { createHmac } = await import('node:crypto');
  const { updateRoomWebhook } = await import('@/lib/rooms/room-webhook');
  const received: { event: string; signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({
        event: String(req.headers['x-aegis-event']),
        signature: String(req.headers['x-aegis-signature']),
        body,
      });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    const { room, agent } = await developerAgent();
    const secret = 'webhook-secret-0123456789';
    await updateRoomWebhook(room.owner.id, room.id, { url: `http://127.0.0.1:${port}/hook`, secret });
    const call = agent.callTool({ name: 'push_files', arguments: workflowPush });
    await expect.poll(() => received.map((r) => r.event)).toContain('approval.created');
    const approvalId = JSON.parse(received[0]!.body).approval.id;
    await reviewApproval(room.owner.id, approvalId, { decision: 'deny', comment: 'not now' });
    await expect.poll(() => received.map((r) => r.event)).toContain('approval.decided');
    for (const r of received) {
      expect(r.signature).toBe(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
    }
    const decided = JSON.parse(received.find((r) => r.event === 'approval.decided')!.body);
    expect(decided).toMatchObject({
      approval: { id: approvalId, status: 'denied' },
      review: { decision: 'deny', comment: 'not now' },
    });
    expect((await call).isError).toBe(true);
    await agent.close();
  } finally {
    server.close();
  }
});
