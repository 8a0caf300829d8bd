// Every form shows a refused field the same way, whatever refused it: the server's schema decides
// (no browser bubble can block the submit, so the server's own message appears), the field is
// marked invalid with its message as its description, a banner at the top says to correct the
// highlighted fields even when only one is wrong, focus lands on the first invalid field, and
// nothing changed. On the new-room form, switching the repository kind drops the other kind's
// fields, values and errors.
import { expect, test, type Page } from '@playwright/test';
import { db } from '@/lib/db';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser, randomIdentity, signInViaApi } from '../fixtures/users';
import { expectFieldError, expectNoBrowserValidation, expectNoFieldError, fieldErrorsBanner } from '../fixtures/forms';
import { waitForHydration } from '../fixtures/pages';

test('sign-up: a wrong email and an email already taken are each shown beside the field', async ({ page }) => {
  const existing = await createTestUser('taken');
  const identity = randomIdentity('signup');
  await page.goto('/sign-up');
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Create your account' }) });
  await expectNoBrowserValidation(form);
  await waitForHydration(page, 'form');
  await form.getByLabel('Name').fill(identity.name);
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByLabel('Password').fill(identity.password);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expectFieldError(form, form.getByLabel('Email'), 'Enter a valid email address');
  await expect(form.getByLabel('Email')).toBeFocused();
  await expectNoFieldError(form.getByLabel('Name'));

  // An error the domain raises for one field (not the schema) shows the same way.
  await form.getByLabel('Email').fill(existing.email);
  await form.getByLabel('Password').fill(identity.password);
  await form.getByRole('button', { name: 'Create account' }).click();
  await expectFieldError(form, form.getByLabel('Email'), /already/i);
  expect(await db.user.count({ where: { name: identity.name } })).toBe(0);
});

test('sign-in: empty fields are named by the schema the credentials check uses', async ({ page }) => {
  await page.goto('/sign-in');
  const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'Sign in' }) });
  await expectNoBrowserValidation(form);
  await waitForHydration(page, 'form');
  await form.getByLabel('Email').fill('someone@example.test');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expectFieldError(form, form.getByLabel('Password'), 'Enter your password');
  await expect(form.getByLabel('Password')).toBeFocused();
  await expectNoFieldError(form.getByLabel('Email'));
  await expect(page).toHaveURL(/\/sign-in/);
});

test('create room: one missing field gets the banner, and nothing is created', async ({ page }) => {
  const owner = await createTestUser('newroom');
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');
  const form = page.getByRole('form', { name: 'Create room' });
  await expectNoBrowserValidation(form);
  await waitForHydration(page, 'form[aria-label="Create room"]');
  await form.getByLabel('Repository path or URL').fill('/srv/nowhere.git');
  await form.getByRole('button', { name: 'Create room' }).click();
  await expectFieldError(form, form.getByLabel('Room name'), 'Room name is required');
  await expect(form.getByLabel('Room name')).toBeFocused();
  expect(await db.room.count({ where: { createdById: owner.id } })).toBe(0);
});

test('create room: switching the repository kind drops the other kind’s fields, values and errors', async ({
  page,
}) => {
  const owner = await createTestUser('kinds');
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');
  const form = page.getByRole('form', { name: 'Create room' });
  await waitForHydration(page, 'form[aria-label="Create room"]');
  await form.getByLabel('Room name').fill('kinds');
  await form.getByLabel('Username (optional)').fill('bob-the-git-user');
  await form.getByRole('button', { name: 'Create room' }).click();
  const gitLocation = form.getByLabel('Repository path or URL');
  await expectFieldError(form, gitLocation, 'Repository path or URL is required');

  // To GitHub: the git fields and their error are gone, and the GitHub fields start clean.
  await form.getByRole('radio', { name: /GitHub/ }).check();
  await expect(gitLocation).toHaveCount(0);
  await expect(form.getByLabel('Username (optional)')).toHaveCount(0);
  await expect(form.getByText('Repository path or URL is required')).toHaveCount(0);
  const githubLocation = form.getByLabel('Repository (owner/name)');
  await expect(githubLocation).toHaveValue('');
  await expectNoFieldError(githubLocation);
  await expect(fieldErrorsBanner(form)).toHaveCount(0);
  await expect(form.getByLabel('Room name')).toHaveValue('kinds');

  // Submitting GitHub sends none of the git fields, and gets GitHub's own errors.
  const submitted = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/rooms/new');
  await form.getByRole('button', { name: 'Create room' }).click();
  const body = (await submitted).postData() ?? '';
  // Form fields travel as `_<n>_<field>` parts (the previous state travels too, as part "0").
  expect(body).toMatch(/name="[^"]*_repositoryKind"\r?\n\r?\ngithub/);
  expect(body).not.toMatch(/name="[^"]*_username"/);
  await expectFieldError(form, githubLocation, 'Use the form owner/repository');
  await expectFieldError(form, form.getByLabel('GitHub token'), 'A GitHub token is required');

  // And back to git: the GitHub errors do not follow, and the git fields are empty.
  await githubLocation.fill('acme/payments');
  await form.getByRole('radio', { name: /Git repository/ }).check();
  await expect(githubLocation).toHaveCount(0);
  await expect(gitLocation).toHaveValue('');
  await expectNoFieldError(gitLocation);
  await expect(form.getByLabel('Username (optional)')).toHaveValue('');
  await expect(form.getByText('A GitHub token is required')).toHaveCount(0);
  await expect(fieldErrorsBanner(form)).toHaveCount(0);
  expect(await db.room.count({ where: { createdById: owner.id } })).toBe(0);
});

test('room settings: one wrong pattern gets the banner and changes nothing', async ({ page }) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}/settings`);
  const form = page.getByRole('form', { name: 'Room settings' });
  await waitForHydration(page, 'form[aria-label="Room settings"]');
  await expectNoBrowserValidation(form);
  const before = await db.room.findUniqueOrThrow({ where: { id: room.id } });
  await form.getByLabel('Agent branch pattern').fill('*.lock');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await expectFieldError(form, form.getByLabel('Agent branch pattern'), 'can never match a branch');
  await expect(form.getByLabel('Agent branch pattern')).toBeFocused();
  expect(await db.room.findUniqueOrThrow({ where: { id: room.id } })).toEqual(before);
});

test('members: an invalid email reaches the server, which names it; nobody is added', async ({ page }) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const form = page.getByRole('form', { name: 'Add member' });
  await waitForHydration(page, 'form[aria-label="Add member"]');
  await expectNoBrowserValidation(form);
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByRole('button', { name: 'Add member' }).click();
  await expectFieldError(form, form.getByLabel('Email'), 'Enter a valid email address');
  await expect(form.getByLabel('Email')).toBeFocused();
  expect(await db.member.count({ where: { roomId: room.id } })).toBe(1);
});

test('webhook: a URL that is no URL reaches the server, which names it; nothing is saved', async ({ page }) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const form = page.getByRole('form', { name: 'Approvals webhook' });
  await waitForHydration(page, 'form[aria-label="Approvals webhook"]');
  await expectNoBrowserValidation(form);
  await form.getByLabel('Webhook URL').fill('not a url');
  await form.getByLabel('Signing secret').fill('webhook-secret-0123456789');
  await form.getByRole('button', { name: 'Save webhook' }).click();
  await expectFieldError(form, form.getByLabel('Webhook URL'), /./);
  await expect(form.getByLabel('Webhook URL')).toBeFocused();
  expect((await db.room.findUniqueOrThrow({ where: { id: room.id } })).webhookUrl).toBeNull();
});

test('profile: an empty name and a mismatched new password are named beside their fields', async ({ page }) => {
  const user = await createTestUser('profile');
  await signInViaApi(page.request, user);
  await page.goto('/settings/profile');
  const nameForm = page.getByRole('form', { name: 'Profile' });
  await waitForHydration(page, 'form[aria-label="Profile"]');
  await expectNoBrowserValidation(nameForm);
  await nameForm.getByLabel('Name').fill('');
  await nameForm.getByRole('button', { name: 'Save name' }).click();
  await expectFieldError(nameForm, nameForm.getByLabel('Name'), 'Name is required');
  await expect(nameForm.getByLabel('Name')).toBeFocused();
  expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);

  const passwordForm = page.getByRole('form', { name: 'Change password' });
  await expectNoBrowserValidation(passwordForm);
  await passwordForm.getByLabel('Current password').fill(user.password);
  await passwordForm.getByLabel('New password', { exact: true }).fill('a-new-password-123');
  await passwordForm.getByLabel('Confirm new password').fill('a-different-one-456');
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  const confirm = passwordForm.getByLabel('Confirm new password');
  await expectFieldError(passwordForm, confirm, 'The new passwords do not match');
  await expect(confirm).toBeFocused();
  await expectNoFieldError(passwordForm.getByLabel('Current password'));
  // The old password still signs in.
  await signInViaApi(page.request, user);
});

async function openPolicy(page: Page) {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}/policy`);
  await waitForHydration(page, 'form[aria-label="Simulate a call"]');
  return room;
}

test('policy editor: a rule without a name is highlighted, and Save shows the banner and saves nothing', async ({
  page,
}) => {
  const room = await openPolicy(page);
  const versions = await db.policyVersion.count({ where: { roomId: room.id } });
  await page.getByRole('button', { name: 'Edit Branch naming' }).click();
  // The one open rule editor (its item's name follows the rule's, which is being cleared).
  const name = page.getByRole('list', { name: 'Rules' }).getByLabel('Name', { exact: true });
  await name.fill('');
  await expectFieldError(page.locator('[data-form-errors-scope]'), name, 'Give the rule a name');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(name).toBeFocused();
  await expect(page.getByText('Nothing was saved.')).toBeVisible();
  expect(await db.policyVersion.count({ where: { roomId: room.id } })).toBe(versions);
});

test('policy simulator: a call without files is refused by the server, beside the field', async ({ page }) => {
  await openPolicy(page);
  const form = page.getByRole('form', { name: 'Simulate a call' });
  await expectNoBrowserValidation(form);
  await form.getByLabel('File paths (one per line)').fill('');
  await form.getByRole('button', { name: 'Simulate' }).click();
  const files = form.getByLabel('File paths (one per line)');
  await expectFieldError(form, files, 'List at least one file path.');
  await expect(files).toBeFocused();
  await expect(page.getByRole('region', { name: 'Simulation result' })).toHaveCount(0);

  await form.getByLabel('Tool').selectOption('merge_pull_request');
  await form.getByLabel('Pull request number').fill('first');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expectFieldError(form, form.getByLabel('Pull request number'), 'whole number');
});

test('audit log: a filter the server refuses is highlighted under the banner', async ({ page }) => {
  const room = await createTestRoom();
  await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, room.owner);
  await page.goto('/audit?from=yesterday-ish');
  const form = page.getByRole('form', { name: 'Filter the audit log' });
  await expectNoBrowserValidation(form);
  await expectFieldError(form, form.getByLabel('From (UTC)'), /./);
});
