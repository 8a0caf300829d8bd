// The policy simulator never shows a decision for a call other than the one its form describes:
// once the form changes, the last result is marked out of date; when the form shows an error, no
// result is shown beside it.
import { expect, test } from '@playwright/test';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';

test('a result is marked out of date when the form changes, and cleared when the form shows an error', async ({
  page,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, developer);
  await page.goto(`/rooms/${room.id}/policy`);
  const form = page.getByRole('form', { name: 'Simulate a call' });
  const result = page.getByRole('region', { name: 'Simulation result' });
  const outOfDate = page.getByRole('status').filter({ hasText: 'Out of date' });

  await form.getByLabel('Role').selectOption('DEVELOPER');
  await form.getByLabel('Tool').selectOption('push_files');
  await form.getByLabel('Branch', { exact: true }).fill('main');
  await form.getByLabel('File paths (one per line)').fill('src/app.ts');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*rewrite\s*by rule \d+ “Protected branches”/);
  await expect(outOfDate).toHaveCount(0);

  // Another role: the DEVELOPER's decision is no longer the answer.
  await form.getByLabel('Role').selectOption('OWNER');
  await expect(outOfDate).toBeVisible();
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*allow\s*by rule \d+ “OWNER, everything else”/);
  await expect(outOfDate).toHaveCount(0);

  // Editing the paths, too.
  await form.getByLabel('File paths (one per line)').fill('.github/workflows/ci.yml');
  await expect(outOfDate).toBeVisible();

  // No paths at all: the form shows its error, and no result stands beside it.
  await form.getByLabel('File paths (one per line)').fill('');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(form.getByText('List at least one file path.')).toBeVisible();
  await expect(result).toHaveCount(0);
  await expect(page.getByText('Describe a call and press Simulate')).toBeVisible();

  // A merge without a pull request number: the same.
  await form.getByLabel('File paths (one per line)').fill('src/app.ts');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText('Decision');
  await form.getByLabel('Tool').selectOption('merge_pull_request');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(form.getByText('Give the number of a pull request in this room.')).toBeVisible();
  await expect(result).toHaveCount(0);

  // A server-side refusal (no such pull request) shows no stale result either.
  await form.getByLabel('Tool').selectOption('push_files');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText('Decision');
  await form.getByLabel('Tool').selectOption('merge_pull_request');
  await form.getByLabel('Pull request number').fill('42');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(form.getByRole('alert')).toBeVisible();
  await expect(result).toHaveCount(0);
});
