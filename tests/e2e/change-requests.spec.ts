// Change requests (pull requests of git rooms): an OWNER reviews the diff of an agent's branch and
// merges it into main on the real repository; a DEVELOPER reads but cannot close; a stranger gets
// a 404; a conflicting merge is refused with the paths and leaves main as it was; an ADMIN closes.
// (How the policy, the reviewed head and the audit chain govern a dashboard merge:
// dashboard-merges.spec.ts.)
import { expect, test, type Page } from '@playwright/test';
import { createChangeRequest } from '@/lib/change-requests/change-requests';
import { roomGitRepository } from '@/lib/repositories/room-repository';
import { gitLog, pushBranchCommit, pushOutsideCommit } from '../fixtures/git';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';
import { expectNotFoundPage } from '../fixtures/pages';

async function openFeatureRequest(room: TestRoom, authorId = room.owner.id) {
  const commit = pushBranchCommit(
    room.origin,
    'aegis/feature',
    { 'src/app.ts': 'export const answer = 43;\n', 'src/greeting.ts': "export const greeting = 'hello';\n" },
    'Raise the answer and greet',
  );
  const changeRequest = await createChangeRequest(
    {
      roomId: room.id,
      authorId,
      title: 'Raise the answer',
      body: 'The answer is one more now.\nAlso adds a greeting.',
      head: 'aegis/feature',
      base: 'main',
    },
    await roomGitRepository(room.id),
  );
  return { commit, changeRequest };
}

async function merge(page: Page) {
  await page.getByRole('button', { name: 'Merge', exact: true }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Merge', exact: true }).click();
}

test('an OWNER reads the diff of a pull request and merges it into main', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const mainBefore = gitLog(room.origin, 'main')[0]!.sha;
  const { commit, changeRequest } = await openFeatureRequest(room, developer.id);
  await signInViaApi(page.request, room.owner);

  await page.goto(`/rooms/${room.id}`);
  await page.getByRole('link', { name: 'Pull requests' }).click();
  await expect(page.getByRole('heading', { name: 'Pull requests' })).toBeVisible();
  const row = page.getByRole('row', { name: /Raise the answer/ });
  await expect(row).toContainText(`#${changeRequest.number}`);
  await expect(row).toContainText('aegis/feature');
  await expect(row).toContainText('main');
  await expect(row).toContainText('open');
  await expect(row).toContainText(developer.name);

  await row.getByRole('link', { name: 'Raise the answer' }).click();
  await expect(page).toHaveURL(new RegExp(`/rooms/${room.id}/pulls/${changeRequest.number}$`));
  await expect(page.getByRole('heading', { name: `Raise the answer #${changeRequest.number}` })).toBeVisible();
  await expect(page.getByText('The answer is one more now.')).toBeVisible();

  const files = page.getByRole('list', { name: 'Files changed' });
  await expect(files.getByRole('listitem')).toHaveCount(2);
  await expect(files.getByRole('listitem').filter({ hasText: 'src/app.ts' })).toContainText('+1−1');
  await expect(files.getByRole('listitem').filter({ hasText: 'src/greeting.ts' })).toContainText('added');
  const appDiff = page.getByRole('table', { name: 'Diff of src/app.ts' });
  await expect(appDiff.locator('[data-line-kind="removed"]')).toHaveText(['1-export const answer = 42;']);
  await expect(appDiff.locator('[data-line-kind="added"]')).toHaveText(['1+export const answer = 43;']);
  await expect(appDiff.locator('[data-line-kind="hunk"]')).toContainText(['@@ -1 +1 @@']);
  await expect(page.getByRole('table', { name: 'Diff of src/greeting.ts' })).toContainText(
    "+export const greeting = 'hello';",
  );

  await merge(page);
  await expect(page.getByRole('region', { name: 'Merged' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Merge', exact: true })).toHaveCount(0);
  const mergeSha = (await page.getByTestId('merge-commit-sha').textContent())!.trim();
  expect(mergeSha).toMatch(/^[0-9a-f]{40}$/);

  // The origin's main now holds the branch's commit, and its head is the merge commit shown.
  const log = gitLog(room.origin, 'main');
  expect(log[0]!.sha).toBe(mergeSha);
  expect(log.map((c) => c.sha)).toContain(commit);
  expect(log.map((c) => c.sha)).toContain(mainBefore);

  // Once merged, the page still shows what the merge brought into main.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Diff of src/app.ts' }).locator('[data-line-kind="added"]')).toHaveText([
    '1+export const answer = 43;',
  ]);

  await page.goto(`/rooms/${room.id}/pulls`);
  await expect(page.getByText('No open pull requests')).toBeVisible();
  await page.getByRole('link', { name: 'Merged', exact: true }).click();
  await expect(page.getByRole('row', { name: /Raise the answer/ })).toContainText('merged');
});

test('a DEVELOPER reads a pull request but gets no Close button', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const { changeRequest } = await openFeatureRequest(room, developer.id);
  await signInViaApi(page.request, developer);

  await page.goto(`/rooms/${room.id}/pulls/${changeRequest.number}`);
  await expect(page.getByRole('heading', { name: `Raise the answer #${changeRequest.number}` })).toBeVisible();
  await expect(page.getByText(`${developer.name} wants to merge`)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Diff of src/app.ts' })).toContainText('+export const answer = 43;');
  await expect(page.getByText("Only the room's ADMINs and OWNERs can close pull requests.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close', exact: true })).toHaveCount(0);
  expect(gitLog(room.origin, 'main')).toHaveLength(1);

  // A pull request number that does not exist is a 404 for members too.
  await page.goto(`/rooms/${room.id}/pulls/999`);
  await expectNotFoundPage(page);
});

test('a user who is not a member gets a 404 for the pull requests of a room', async ({ page }) => {
  const room = await createTestRoom();
  const { changeRequest } = await openFeatureRequest(room);
  await signInViaApi(page.request, await createTestUser('stranger'));
  for (const url of [`/rooms/${room.id}/pulls`, `/rooms/${room.id}/pulls/${changeRequest.number}`]) {
    await page.goto(url);
    await expectNotFoundPage(page);
    await expect(page.getByText('Raise the answer')).toHaveCount(0);
  }
});

test('a conflicting pull request is refused with the conflicting path and main is unchanged', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  pushBranchCommit(room.origin, 'aegis/conflict', { 'src/app.ts': 'export const answer = 44;\n' }, 'Answer 44');
  const changeRequest = await createChangeRequest(
    {
      roomId: room.id,
      authorId: developer.id,
      title: 'Answer 44',
      head: 'aegis/conflict',
      base: 'main',
    },
    await roomGitRepository(room.id),
  );
  const mainHead = pushOutsideCommit(room.origin, 'main', 'src/app.ts', 'export const answer = 100;\n', 'Answer 100');
  await signInViaApi(page.request, room.owner);

  await page.goto(`/rooms/${room.id}/pulls/${changeRequest.number}`);
  await merge(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Cannot merge' })).toContainText('conflicts in src/app.ts');
  expect(gitLog(room.origin, 'main')[0]!.sha).toBe(mainHead);

  // Still open, still mergeable once someone resolves the conflict.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Merge', exact: true })).toBeVisible();
  await page.goto(`/rooms/${room.id}/pulls`);
  await expect(page.getByRole('row', { name: /Answer 44/ })).toContainText('open');
});

test('an ADMIN closes a pull request without merging it', async ({ page }) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const { changeRequest } = await openFeatureRequest(room);
  await signInViaApi(page.request, admin);

  await page.goto(`/rooms/${room.id}/pulls/${changeRequest.number}`);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Close pull request' }).click();
  await expect(page.getByRole('region', { name: 'Closed' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Merge', exact: true })).toHaveCount(0);
  expect(gitLog(room.origin, 'main')).toHaveLength(1);

  await page.goto(`/rooms/${room.id}/pulls?state=closed`);
  await expect(page.getByRole('row', { name: /Raise the answer/ })).toContainText('closed');
  await page.getByRole('link', { name: 'Open', exact: true }).click();
  await expect(page.getByText('No open pull requests')).toBeVisible();

  // Who closed it is in the room's activity.
  await page.goto(`/rooms/${room.id}`);
  await expect(page.getByRole('list', { name: 'Room activity' })).toContainText(
    `${admin.name} closed a pull request (#${changeRequest.number} Raise the answer)`,
  );
});
