// A new user's first minutes: sign up, find the user ID for agents, sign out, sign in again.
import { expect, test } from '@playwright/test';
import { createTestUser, randomIdentity, signInViaApi } from '../fixtures/users';

test('sign up lands on the dashboard and Settings → Profile shows a copyable user ID', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const identity = randomIdentity('signup');

  await page.goto('/sign-up');
  await page.getByLabel('Name').fill(identity.name);
  await page.getByLabel('Email').fill(identity.email);
  await page.getByLabel('Password').fill(identity.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page).toHaveURL(/\/rooms$/);
  await expect(page.getByRole('heading', { name: 'Rooms' })).toBeVisible();
  await expect(page.getByRole('complementary')).toContainText(identity.name);

  await page.getByRole('link', { name: 'Settings' }).click();
  const userId = (await page.getByTestId('user-id').textContent())?.trim();
  expect(userId).toMatch(/^c[a-z0-9]{20,}$/);
  await page.getByRole('button', { name: 'Copy user ID' }).click();
  await expect(page.getByRole('button', { name: 'Copy user ID' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(userId);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/settings/profile');
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel('Email').fill(identity.email);
  await page.getByLabel('Password').fill(identity.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/rooms$/);
  await page.goto('/settings/profile');
  await expect(page.getByTestId('user-id')).toHaveText(userId!);
});

test('a wrong password is refused with a clear message', async ({ page }) => {
  const user = await createTestUser('wrongpw');
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(`${user.password}-wrong`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/rooms');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('sign-up refuses a duplicate email and a weak password, creating nothing', async ({ page }) => {
  const existing = await createTestUser('dup');
  await page.goto('/sign-up');
  await page.getByLabel('Name').fill('Someone Else');
  await page.getByLabel('Email').fill(existing.email);
  await page.getByLabel('Password').fill('another-good-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('An account with this email already exists').first()).toBeVisible();

  const fresh = randomIdentity('weak');
  await page.getByLabel('Email').fill(fresh.email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Password must be at least 10 characters')).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up/);

  // Nothing was created for the refused sign-up: signing in with it fails.
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(fresh.email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: /./ })).toHaveText('Wrong email or password.');
});

test('profile: change name and password', async ({ page }) => {
  const user = await createTestUser('profile');
  await signInViaApi(page.request, user);
  await page.goto('/settings/profile');
  await page.getByRole('textbox', { name: 'Name' }).fill('Renamed Person');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(page.getByText('Profile saved.')).toBeVisible();
  await expect(page.getByRole('complementary')).toContainText('Renamed Person');

  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('brand-new-password-1');
  await page.getByLabel('Confirm new password').fill('brand-new-password-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Current password is wrong').first()).toBeVisible();

  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password', { exact: true }).fill('brand-new-password-1');
  await page.getByLabel('Confirm new password').fill('brand-new-password-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.')).toBeVisible();
});

test('health reports the database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
});
