// Repository locations are the operator's to allow, not a signed-up user's to pick. An attacker
// with an ordinary account uses the dashboard's New room form, as anyone can, to aim a room at
// another user's repository, at paths outside the allowed roots, at Aegis's own data, at files
// on the server and at the cloud metadata service. Every attempt gets the same answer, no sooner
// than a fixed floor, and nothing is created. The OWNER of a repository's room may still open a
// second room on it.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOriginRepository, repositoryRoot } from '../fixtures/git';
import { createTestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';

const REFUSED = /^Aegis cannot use this repository location: /;

/** Submits the New room form for `location` and returns the location field's error and how long it took. */
async function tryLocation(page: Page, location: string): Promise<{ error: string; ms: number }> {
  await page.goto('/rooms/new');
  await page.getByLabel('Room name').fill(`probe ${path.basename(location)}`);
  await page.getByLabel('Repository path or URL').fill(location);
  const started = Date.now();
  await page.getByRole('button', { name: 'Create room' }).click();
  const alert = page.locator('#location-error');
  await expect(alert).toBeVisible({ timeout: 30_000 });
  return { error: (await alert.textContent())!.trim(), ms: Date.now() - started };
}

test("an attacker cannot govern another user's repository, or anything outside the allowed roots", async ({ page }) => {
  test.setTimeout(120_000);
  const victim = await createTestRoom();
  const attacker = await createTestUser('attacker');
  await signInViaApi(page.request, attacker);
  await page.goto('/rooms');
  await expect(page.getByText('No rooms yet')).toBeVisible();

  // A real repository on the server, but outside the roots the operator allows.
  const outsideDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-outside-root-'));
  const outsideRepo = path.join(outsideDir, 'private.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', outsideRepo]);
  try {
    const attempts = {
      "another user's room's repository": victim.origin,
      'the same repository through ..': `${path.dirname(victim.origin)}/../${path.basename(path.dirname(victim.origin))}/origin.git`,
      'a repository outside the roots': outsideRepo,
      'a path escaping the root with ..': `${repositoryRoot()}/../${path.relative(path.dirname(repositoryRoot()), outsideRepo)}`,
      'file:///etc': 'file:///etc',
      "Aegis's own data directory": path.join(process.env.AEGIS_DATA_DIR!, 'mirrors'),
      'the cloud metadata service': 'http://169.254.169.254/x',
      'loopback spelled as a number': 'http://2130706433/r.git',
      'an IPv4-mapped IPv6 loopback': 'http://[::ffff:127.0.0.1]/r.git',
      'an ssh URL': 'ssh://git@github.com/acme/repo.git',
      'a missing path under the root': path.join(repositoryRoot(), 'missing-repository.git'),
    };
    const answers: Record<string, string> = {};
    for (const [what, location] of Object.entries(attempts)) {
      const { error, ms } = await tryLocation(page, location);
      answers[what] = error;
      // No refusal answers faster than the floor, so quick ones cannot be told from slow ones.
      expect(ms, what).toBeGreaterThanOrEqual(1000);
    }
    // One and the same answer to every probe: the metadata service and a missing path included.
    expect(answers['the cloud metadata service']).toBe(answers['a missing path under the root']);
    expect(new Set(Object.values(answers)).size).toBe(1);
    expect(answers['a missing path under the root']).toMatch(REFUSED);

    // Nothing was created.
    await page.goto('/rooms');
    await expect(page.getByText('No rooms yet')).toBeVisible();
  } finally {
    rmSync(outsideDir, { recursive: true, force: true });
  }
});

test('the OWNER of a room may open a second room on its repository; a new repository under the root works', async ({
  page,
}) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  await page.goto('/rooms/new');
  await page.getByLabel('Room name').fill('second view');
  await page.getByLabel('Repository path or URL').fill(room.origin);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByRole('heading', { name: 'second view' })).toBeVisible();

  const fresh = createOriginRepository();
  await page.goto('/rooms/new');
  await page.getByLabel('Room name').fill('fresh repository');
  await page.getByLabel('Repository path or URL').fill(`file://${fresh}`);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByRole('heading', { name: 'fresh repository' })).toBeVisible();
});
