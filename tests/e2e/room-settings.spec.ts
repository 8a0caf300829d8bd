// Room settings after creation: an ADMIN changes the default branch, the protected branches and
// the agent branch pattern in the browser, and an agent that was already connected is decided and
// rewritten by the new settings on its next call; bad patterns get field errors and change
// nothing (on creation too); new repository credentials are checked against the repository
// first and never shown again (a password-protected remote is exercised in
// lib/rooms/update-room-settings.test.ts: this test server admits only https remotes at public
// addresses); a DEVELOPER cannot change any of it, not even with a forged form post.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { decryptSecret } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db';
import { branches, createOriginRepository, git, gitLog, pushBranchCommit } from '../fixtures/git';
import { expectFieldError, fieldErrorsBanner } from '../fixtures/forms';
import { expectNotFoundPage } from '../fixtures/pages';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';
import { callOk, connectAgent, resultText } from '../fixtures/agents';

const settingsForm = (page: Page) => page.getByRole('form', { name: 'Room settings' });
const activity = (page: Page) => page.getByRole('list', { name: 'Room activity' });

async function roomRow(roomId: string) {
  return db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { defaultBranch: true, protectedBranches: true, branchPattern: true, repositorySecret: true },
  });
}

async function openSettings(page: Page, room: { id: string }) {
  await page.goto(`/rooms/${room.id}`);
  await page.getByRole('link', { name: 'Settings →' }).click();
  await expect(page.getByRole('heading', { name: 'Room settings' })).toBeVisible();
}

test('an ADMIN changes the branches; a connected agent is decided by the new settings on its next call', async ({
  page,
}) => {
  const room = await createTestRoom();
  pushBranchCommit(room.origin, 'trunk', { 'TRUNK.md': '# Trunk\n' }, 'Start trunk');
  pushBranchCommit(room.origin, 'hotfix/login', { 'src/login.ts': 'export const ok = false;\n' }, 'Hotfix');
  const admin = await addTestMember(room, 'ADMIN');
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await connectAgent('streamable-http', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  try {
    // Before: bot/ branches are refused by "Branch naming" (aegis/**).
    const refused = await agent.callTool({ name: 'create_branch', arguments: { branch: 'bot/first' } });
    expect(resultText(refused)).toMatch(/must match the room's branch pattern "aegis\/\*\*"/);

    await signInViaApi(page.request, admin);
    await openSettings(page, room);
    const form = settingsForm(page);
    await expect(form.getByLabel('Default branch')).toHaveValue('main');
    await expect(form.getByLabel('Protected branches')).toHaveValue('release/**');
    await expect(form.getByLabel('Agent branch pattern')).toHaveValue('aegis/**');
    await expect(form).toContainText('One pattern per line');
    await expect(form.getByRole('radio', { name: 'Keep using none' })).toBeChecked();

    await form.getByLabel('Default branch').fill('trunk');
    await form.getByLabel('Protected branches').fill('release/**\nhotfix/*');
    await form.getByLabel('Agent branch pattern').fill('bot/**');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByRole('status')).toHaveText(
      'Settings saved: default branch main → trunk; protected branches: release/**, hotfix/*; agent branch pattern aegis/** → bot/**.',
    );
    await expect(form.getByLabel('Default branch')).toHaveValue('trunk');
    await expect(form.getByLabel('Protected branches')).toHaveValue('release/**\nhotfix/*');

    // The room page shows them, and its activity names who changed what.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: room.name }).click();
    const repository = page.getByRole('region', { name: 'Repository' });
    await expect(repository).toContainText('trunk, release/**, hotfix/*');
    await expect(repository).toContainText('bot/**');
    await expect(activity(page)).toContainText(
      `${admin.name} changed the room settings (default branch main → trunk; protected branches: release/**, hotfix/*; agent branch pattern aegis/** → bot/**)`,
    );

    // The same agent session, next calls: the new pattern, default and protected branches apply.
    await expect(async () => {
      const created = await agent.callTool({ name: 'create_branch', arguments: { branch: 'bot/second' } });
      expect(created.isError, resultText(created)).toBeFalsy();
    }).toPass({ timeout: 10_000 });
    const old = await agent.callTool({ name: 'create_branch', arguments: { branch: 'aegis/old-style' } });
    expect(resultText(old)).toMatch(/must match the room's branch pattern "bot\/\*\*"/);
    const toTrunk = await callOk<{ rewritten: boolean; pull_request: { head: string; number: number } }>(
      agent,
      'push_files',
      { branch: 'trunk', message: 'Edit trunk', files: [{ path: 'TRUNK.md', content: '# Trunk v2\n' }] },
    );
    expect(toTrunk.rewritten).toBe(true);
    expect(toTrunk.pull_request.head).toMatch(/^bot\/trunk-[0-9a-f]{6}$/);
    const toHotfix = await callOk<{ rewritten: boolean }>(agent, 'push_files', {
      branch: 'hotfix/login',
      message: 'Fix the hotfix',
      files: [{ path: 'src/login.ts', content: 'export const ok = true;\n' }],
    });
    expect(toHotfix.rewritten).toBe(true);
    expect(git(room.origin, 'show', 'hotfix/login:src/login.ts')).toBe('export const ok = false;');
    const prs = await callOk<{ base: string }[]>(agent, 'list_pull_requests', {});
    expect(prs.map((p) => p.base).sort()).toEqual(['hotfix/login', 'trunk']);
    expect(branches(room.origin)).toContain('bot/second');
    expect(branches(room.origin)).not.toContain('aegis/old-style');
  } finally {
    await agent.close();
  }
});

test('bad branch patterns and branches get field errors from the schema and change nothing', async ({ page }) => {
  test.setTimeout(120_000); // nine round trips to the server
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  const before = await roomRow(room.id);
  await openSettings(page, room);
  const form = settingsForm(page);
  const save = () => form.getByRole('button', { name: 'Save settings' }).click();

  const cases: [label: string, value: string, error: string][] = [
    ['Protected branches', 'release/*\nrelease/{a,b}', '"release/{a,b}" must not use braces'],
    ['Protected branches', '-bad', '"-bad" can never match a branch: a branch name must not start with "-"'],
    ['Protected branches', 'main, release/*', '"main, release/*" must not contain whitespace'],
    [
      'Protected branches',
      'main,release/*',
      '"main,release/*" must not contain a comma: put each pattern on its own line',
    ],
    ['Protected branches', '!release/*', 'cannot be negated'],
    ['Agent branch pattern', 'bots/{a,b}/**', '"bots/{a,b}/**" must not use braces'],
    ['Agent branch pattern', '*.lock', 'can never match a branch'],
    ['Default branch', 'a..b', 'Invalid branch name: it must not contain "..".'],
    ['Default branch', 'develop', 'The repository has no branch "develop"'],
  ];
  const good: Record<string, string> = {
    'Protected branches': 'release/**',
    'Agent branch pattern': 'aegis/**',
    'Default branch': 'main',
  };
  for (const [label, value, error] of cases) {
    const field = form.getByLabel(label);
    await field.fill(value);
    await save();
    await expectFieldError(form, field, error);
    // What was typed stays in the form to be corrected.
    await expect(field).toHaveValue(value);
    await field.fill(good[label]!);
  }
  expect(await roomRow(room.id)).toEqual(before);
  await page.goto(`/rooms/${room.id}`);
  await expect(activity(page)).not.toContainText('changed the room settings');
});

test('room creation refuses a protected-branch pattern the policy engine would not match as meant', async ({
  page,
}) => {
  const owner = await createTestUser('patterns');
  const origin = createOriginRepository();
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');
  await page.getByLabel('Room name').fill('patterns');
  await page.getByLabel('Repository path or URL').fill(origin);
  for (const [value, error] of [
    ['release/{a,b}', '"release/{a,b}" must not use braces'],
    ['-bad', '"-bad" can never match a branch'],
    ['release/a,release/b', 'must not contain a comma: put each pattern on its own line'],
  ]) {
    await page.getByLabel('Protected branches').fill(value);
    await page.getByRole('button', { name: 'Create room' }).click();
    await expectFieldError(
      page.getByRole('form', { name: 'Create room' }),
      page.getByLabel('Protected branches'),
      error,
    );
  }
  expect(await db.room.count({ where: { createdById: owner.id } })).toBe(0);

  await page.getByLabel('Protected branches').fill('release/a\nrelease/b');
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByRole('heading', { name: 'patterns' })).toBeVisible();
  const created = await db.room.findFirstOrThrow({ where: { createdById: owner.id } });
  expect(created.protectedBranches).toEqual(['release/a', 'release/b']);
});

test('repository credentials are added after checking the repository, never shown again, and removed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  const secret = `tok-${randomBytes(12).toString('hex')}`;
  try {
    await signInViaApi(page.request, admin);
    await openSettings(page, room);
    const form = settingsForm(page);
    await expect(form).toContainText('No credentials are stored');
    await expect(form.getByLabel('New password or token')).toHaveCount(0);

    // Adding credentials needs a password or token.
    await form.getByRole('radio', { name: 'Add credentials' }).check();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expectFieldError(form, form.getByLabel('New password or token'), 'Enter the new password or token');
    await expect(form.getByRole('radio', { name: 'Add credentials' })).toBeChecked();

    // New credentials are checked against the repository first: while it cannot be reached,
    // nothing is saved.
    const moved = `${room.origin}.moved`;
    renameSync(room.origin, moved);
    await form.getByLabel('Username (optional)').fill('bot');
    await form.getByLabel('New password or token').fill(secret);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByLabel('New password or token')).toHaveAccessibleDescription(
      /the repository could not be reached with the new credentials/,
      { timeout: 30_000 },
    );
    await expect(fieldErrorsBanner(form)).toBeVisible();
    await expect(form.getByRole('radio', { name: 'Add credentials' })).toBeChecked();
    await expect(form.getByLabel('Username (optional)')).toHaveValue('bot');
    await expect(form.getByLabel('New password or token')).toHaveValue('');
    expect((await roomRow(room.id)).repositorySecret).toBeNull();

    renameSync(moved, room.origin);
    await form.getByLabel('New password or token').fill(secret);
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByRole('status')).toHaveText('Settings saved: repository credentials replaced.');
    await expect(form).toContainText('Credentials are stored (encrypted) and never shown again.');
    await expect(form.getByRole('radio', { name: 'Keep the stored credentials' })).toBeChecked();
    await expect(form.getByLabel('New password or token')).toHaveCount(0);
    const stored = (await roomRow(room.id)).repositorySecret!;
    expect(stored).not.toContain(secret);
    expect(JSON.parse(decryptSecret(stored))).toEqual({ username: 'bot', password: secret });

    // Never shown again: not on the settings page, the room page or in its activity.
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await page.goto(`/rooms/${room.id}`);
    await expect(activity(page)).toContainText(
      `${admin.name} changed the room settings (repository credentials replaced)`,
    );
    expect(await page.content()).not.toContain(secret);

    // The agent's next push goes through the repository handle built with them.
    await callOk(agent, 'push_files', {
      branch: 'main',
      message: 'After new credentials',
      files: [{ path: 'README.md', content: '# Fixture\n\nStill here.\n' }],
    });
    expect(gitLog(room.origin, 'main')[0]!.subject).toBe('After new credentials');

    await openSettings(page, room);
    await form.getByRole('radio', { name: 'Remove them (the repository needs none)' }).check();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByRole('status')).toHaveText('Settings saved: repository credentials removed.');
    await expect(form).toContainText('No credentials are stored');
    expect((await roomRow(room.id)).repositorySecret).toBeNull();
    const audit = await db.auditEntry.findMany({ where: { roomId: room.id } });
    expect(JSON.stringify(audit)).not.toContain(secret);
  } finally {
    await agent.close();
  }
});

test('a DEVELOPER sees the settings read-only, and a forged save is refused', async ({ page, browser }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, developer);
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('heading', { name: room.name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Settings →' })).toHaveCount(0);

  await page.goto(`/rooms/${room.id}/settings`);
  await expect(page.getByText("read-only: only ADMINs and OWNERs change a room's settings")).toBeVisible();
  await expect(settingsForm(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Branches' })).toContainText('aegis/**');

  // An OWNER's form, submitted with the DEVELOPER's session: the server action refuses it.
  const before = await roomRow(room.id);
  const ownerContext = await browser.newContext({ baseURL: process.env.AEGIS_TEST_URL });
  const ownerPage = await ownerContext.newPage();
  try {
    await signInViaApi(ownerPage.request, room.owner);
    await ownerPage.goto(`/rooms/${room.id}/settings`);
    const cookies = await page.context().cookies();
    await ownerPage.context().clearCookies();
    await ownerPage.context().addCookies(cookies);
    const form = settingsForm(ownerPage);
    await form.getByLabel('Agent branch pattern').fill('anything/**');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await expect(form.getByRole('alert').filter({ hasText: 'does not allow this (needs ADMIN)' })).toBeVisible();
  } finally {
    await ownerContext.close();
  }
  expect(await roomRow(room.id)).toEqual(before);

  // A stranger gets a 404.
  const stranger = await createTestUser('stranger');
  await page.context().clearCookies();
  await signInViaApi(page.request, stranger);
  await page.goto(`/rooms/${room.id}/settings`);
  await expectNotFoundPage(page);
});
