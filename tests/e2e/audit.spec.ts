// Audit log: a room's OWNER reads the calls agents made, filters them, opens one, verifies the
// chain and exports it; tampering shows up at the entry; a stranger sees nothing and gets 404s.
import { expect, test } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { appendAuditEntry } from '@/lib/audit/append-audit-entry';
import { db } from '@/lib/db';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi, type TestUser } from '../fixtures/users';
import { expectNotFoundPage } from '../fixtures/pages';

const SHA = 'c0ffee1234567890abcdef1234567890abcdef12';

/** Four calls by a DEVELOPER's agent: a branch, a push (with its outcome), a blocked merge. */
async function recordCalls(room: TestRoom, developer: TestUser) {
  const sessionId = `session-${randomBytes(4).toString('hex')}`;
  const base = {
    roomId: room.id,
    userId: developer.id,
    role: 'DEVELOPER' as const,
    sessionId,
    clientName: 'claude-code',
  };
  await appendAuditEntry({
    ...base,
    kind: 'decision',
    tool: 'create_branch',
    arguments: { branch: 'aegis/fix-login', from: 'main' },
    decision: 'allow',
    ruleId: 'branch-naming',
  });
  const push = await appendAuditEntry({
    ...base,
    kind: 'decision',
    tool: 'push_files',
    arguments: { branch: 'aegis/fix-login', message: 'Fix login', files: [{ path: 'src/login.ts', bytes: 120 }] },
    decision: 'allow',
    ruleId: 'owner-allow',
    blastRadius: 'Low',
  });
  await appendAuditEntry({
    ...base,
    kind: 'outcome',
    tool: 'push_files',
    arguments: {},
    decision: 'allow',
    callId: push.id,
    status: 'ok',
    result: 'pushed 1 file to aegis/fix-login',
    durationMs: 84,
    commitSha: SHA,
    branch: 'aegis/fix-login',
  });
  await appendAuditEntry({
    ...base,
    kind: 'decision',
    tool: 'merge_pull_request',
    arguments: { pullNumber: 1 },
    decision: 'block',
    ruleId: 'no-autonomous-merge',
    reason: 'A DEVELOPER cannot merge a pull request',
  });
  return { sessionId, push };
}

test('an OWNER reads, filters, opens, verifies and exports the audit log', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const { sessionId, push } = await recordCalls(room, developer);
  await signInViaApi(page.request, room.owner);

  await page.goto('/audit');
  const log = page.getByRole('table', { name: 'Audit log' });
  await expect(log.getByRole('row')).toHaveCount(4); // header + three calls (the outcome joins its call)
  const pushRow = log.getByRole('row', { name: /push_files/ });
  await expect(pushRow).toContainText(room.name);
  await expect(pushRow).toContainText(developer.name);
  await expect(pushRow).toContainText('DEVELOPER');
  await expect(pushRow).toContainText('claude-code');
  await expect(pushRow).toContainText('allow');
  await expect(pushRow).toContainText('owner-allow');
  await expect(pushRow).toContainText('ok');
  await expect(pushRow).toContainText('84 ms');
  await expect(pushRow).toContainText(SHA.slice(0, 7));
  await expect(log.getByRole('row', { name: /merge_pull_request/ })).toContainText('block');

  // Filter by tool.
  const filters = page.getByRole('form', { name: 'Filter the audit log' });
  await filters.getByLabel('Tool').fill('merge_pull_request');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/tool=merge_pull_request/);
  await expect(log.getByRole('row')).toHaveCount(2);
  await expect(log).toContainText('no-autonomous-merge');
  await filters.getByLabel('Decision').selectOption('allow');
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('No calls match these filters')).toBeVisible();

  // Open a call.
  await page.goto(`/audit?room=${room.id}&tool=push_files`);
  await log.getByRole('link', { name: /Details of push_files/ }).click();
  await expect(page.getByRole('heading', { name: 'push_files call' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Arguments' })).toContainText('"path": "src/login.ts"');
  await expect(page.getByRole('list', { name: 'Outcomes' })).toContainText(SHA);
  await expect(page.getByRole('list', { name: 'Outcomes' })).toContainText('pushed 1 file to aegis/fix-login');
  await expect(page.getByRole('link', { name: sessionId })).toHaveAttribute(
    'href',
    `/rooms/${room.id}/sessions/${sessionId}`,
  );
  await expect(page.getByText(push.hash)).toBeVisible();

  // Verify the room's chain.
  await page.getByRole('link', { name: `← Audit log of ${room.name}` }).click();
  const integrity = page.getByRole('region', { name: 'Chain integrity' });
  await integrity.getByRole('button', { name: 'Verify chain' }).click();
  await expect(integrity.getByRole('status')).toHaveText(/Chain intact \(4 entries\)/);

  // Export the filtered log as CSV through the page's link.
  await page.goto(`/audit?room=${room.id}`);
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^aegis-audit-.*\.csv$/);
  const csv = await readFile((await download.path())!, 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toMatch(/^time,room,room_id,seq,entry_id,user,/);
  expect(lines).toHaveLength(4);
  expect(csv).toContain('create_branch');
  expect(csv).toContain('merge_pull_request');
  expect(csv).toContain(SHA);

  const jsonl = await page.request.get(`/api/audit/export?format=jsonl&room=${room.id}&tool=push_files`);
  expect(jsonl.headers()['content-disposition']).toMatch(/^attachment; filename="aegis-audit-.*\.jsonl"$/);
  const records = (await jsonl.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(records).toEqual([
    expect.objectContaining({ id: push.id, outcome: expect.objectContaining({ commitSha: SHA }) }),
  ]);
});

test('every room member sees the log; a tampered entry is found by Verify chain', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const { push } = await recordCalls(room, developer);
  await db.$executeRaw`UPDATE "AuditEntry" SET "arguments" = '{"branch": "main"}'::jsonb WHERE "id" = ${push.id}`;

  await signInViaApi(page.request, developer);
  await page.goto('/audit');
  await expect(page.getByRole('table', { name: 'Audit log' }).getByRole('row')).toHaveCount(4);
  const integrity = page.getByRole('region', { name: 'Chain integrity' });
  await integrity.getByRole('button', { name: `Verify chain of ${room.name}` }).click();
  await expect(integrity.getByRole('alert')).toHaveText(
    'Chain broken at entry #2: entry #2 was modified (hash mismatch)',
  );
});

test('a user who is not a member sees none of the log and gets 404s', async ({ page }) => {
  const room = await createTestRoom();
  const { push } = await recordCalls(room, room.owner);
  const stranger = await createTestUser('stranger');
  await signInViaApi(page.request, stranger);

  await page.goto('/audit');
  await expect(page.getByText('No tool calls recorded yet')).toBeVisible();
  await expect(page.getByText(room.name)).toHaveCount(0);

  await page.goto(`/audit/${push.id}`);
  await expectNotFoundPage(page);
  await page.goto(`/audit?room=${room.id}`);
  await expectNotFoundPage(page);

  const verify = await page.request.get(`/api/rooms/${room.id}/audit/verify`);
  expect(verify.status()).toBe(404);
  expect(await verify.json()).toEqual({ error: 'not_found', message: 'Room not found' });

  expect((await page.request.get(`/api/audit/export?format=csv&room=${room.id}`)).status()).toBe(404);
  const all = await page.request.get('/api/audit/export?format=csv');
  expect(all.status()).toBe(200);
  expect((await all.text()).trimEnd().split('\r\n')).toHaveLength(1); // the header only
});

test('the audit endpoints refuse anonymous callers and bad input', async ({ playwright, page }) => {
  const room = await createTestRoom();
  const anonymous = await playwright.request.newContext({ baseURL: process.env.AEGIS_TEST_URL });
  const verify = await anonymous.get(`/api/rooms/${room.id}/audit/verify`);
  expect(verify.status()).toBe(401);
  expect((await verify.json()).error).toBe('unauthenticated');
  expect((await anonymous.get('/api/audit/export')).status()).toBe(401);
  await anonymous.dispose();

  await signInViaApi(page.request, room.owner);
  const badFormat = await page.request.get('/api/audit/export?format=xlsx');
  expect(badFormat.status()).toBe(400);
  expect((await badFormat.json()).message).toBe('format must be csv or jsonl');
  expect((await page.request.get('/api/audit/export?from=yesterday')).status()).toBe(400);

  await page.goto('/audit?from=not-a-date');
  await expect(page.getByText('Enter a date and time, e.g. 2026-01-31T09:30')).toBeVisible();
});
