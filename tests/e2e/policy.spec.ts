// Room policy: an OWNER edits the rules and the default effect and saves a new version; the
// export gives back exactly what was saved; a bad import is refused with the paths of its
// problems and changes nothing; a DEVELOPER reads the policy but cannot change it (not even with
// a forged call); the simulator shows what the gateway would decide without executing anything.
import { expect, test, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { db } from '@/lib/db';
import { saveRoomPolicy } from '@/lib/policies/room-policy';
import { POLICY_PRESETS, defaultPolicy } from '@/lib/policy/presets';
import { branches } from '../fixtures/git';
import { expectNotFoundPage } from '../fixtures/pages';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';

const rulesList = (page: Page) => page.getByRole('list', { name: 'Rules' });
const ruleItems = (page: Page) => rulesList(page).locator(':scope > li');
const ruleNames = (page: Page) => rulesList(page).locator(':scope > li h3').allTextContents();

/** The room's newest saved policy version (a new room's defaults may already be saved as one). */
async function latestSaved(roomId: string) {
  const latest = await db.policyVersion.findFirst({
    where: { roomId },
    orderBy: { version: 'desc' },
    select: { version: true, document: true },
  });
  return { version: latest?.version ?? 0, document: latest?.document };
}

test('an OWNER sees the default rules, re-adds a preset, changes the default effect and saves a new version', async ({
  page,
}) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  const before = await latestSaved(room.id);
  await page.goto(`/rooms/${room.id}`);
  await page.getByRole('link', { name: 'Policy →' }).click();

  await expect(page.getByRole('heading', { name: 'Policy', exact: true })).toBeVisible();
  await expect(page.getByText(`Version ${before.version}`, { exact: true })).toBeVisible();
  await expect(ruleItems(page)).toHaveCount(POLICY_PRESETS.length);
  expect(await ruleNames(page)).toEqual(POLICY_PRESETS.map((p) => p.name));
  const protectedRule = rulesList(page).getByRole('listitem', { name: 'Protected branches', exact: true });
  await expect(protectedRule).toContainText('rewrite');
  await expect(protectedRule).toContainText('role is DEVELOPER');
  await expect(protectedRule).toContainText('target is the default or a protected branch');
  await expect(protectedRule).toContainText('preset: protected-branches');
  await expect(rulesList(page).getByRole('listitem', { name: 'Sensitive paths', exact: true })).toContainText(
    'require approval×1',
  );
  await expect(page.getByLabel('Default effect')).toHaveValue('require_approval');

  // Delete a rule (asks first), then add it back from its preset: it goes to the end.
  const merge = rulesList(page).getByRole('listitem', { name: 'No autonomous merge', exact: true });
  await merge.getByRole('button', { name: 'Delete' }).click();
  await merge.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete' }).click();
  await expect(merge).toHaveCount(0);
  await expect(page.getByText('Unsaved changes', { exact: true })).toBeVisible();
  await page.getByLabel('New rule from').selectOption('no-autonomous-merge');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await expect(ruleItems(page)).toHaveCount(POLICY_PRESETS.length);
  const readded = ruleItems(page).last();
  await expect(readded.getByRole('heading')).toHaveText('No autonomous merge');
  await readded.getByLabel('Name', { exact: true }).fill('No merges by agents');
  await readded.getByRole('checkbox', { name: 'ADMIN', exact: true }).check();
  await expect(readded).toContainText('role is DEVELOPER or ADMIN');
  await expect(readded).toContainText('preset: no-autonomous-merge (edited)');
  await page.getByRole('button', { name: 'Move No merges by agents up' }).click();
  const expectedNames = POLICY_PRESETS.map((p) => p.name).filter((n) => n !== 'No autonomous merge');
  expectedNames.splice(expectedNames.length - 1, 0, 'No merges by agents');
  expect(await ruleNames(page)).toEqual(expectedNames);

  // A blank rule without a name is caught by the schema before anything is sent.
  await page.getByLabel('New rule from').selectOption('');
  await page.getByRole('button', { name: 'Add rule' }).click();
  const blank = ruleItems(page).last();
  await blank.getByLabel('Name', { exact: true }).fill('');
  await expect(blank.getByText('Give the rule a name')).toBeVisible();
  await page.getByRole('button', { name: 'Save policy' }).click();
  const problems = page.getByRole('list', { name: 'Policy problems' });
  await expect(problems).toContainText(`rules[${POLICY_PRESETS.length}].name`);
  await blank.getByRole('button', { name: 'Delete' }).click();
  await blank.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Delete' }).click();
  await expect(ruleItems(page)).toHaveCount(POLICY_PRESETS.length);

  await page.getByLabel('Default effect').selectOption('block');
  await page.getByRole('button', { name: 'Save policy' }).click();
  const next = before.version + 1;
  await expect(page.getByText(`Saved as version ${next}.`)).toBeVisible();
  await expect(page.getByText(`All changes saved · version ${next}`)).toBeVisible();

  await page.reload();
  await expect(page.getByText(`Version ${next}`, { exact: true })).toBeVisible();
  await expect(page.getByText(`Version ${next}`, { exact: true }).locator('..')).toContainText('saved by you on');
  await expect(page.getByLabel('Default effect')).toHaveValue('block');
  expect(await ruleNames(page)).toEqual(expectedNames);
  await expect(page.getByRole('table', { name: 'Policy versions' })).toContainText('you');

  const saved = await latestSaved(room.id);
  expect(saved.version).toBe(next);
  expect(saved.document).toMatchObject({ defaultEffect: 'block' });

  // Export JSON (the page's download link) gives back exactly the saved document; so does YAML.
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Export JSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`aegis-policy-${room.id}-v${next}.json`);
  const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(exported).toEqual(saved.document);
  const yamlResponse = await page.request.get(`/api/rooms/${room.id}/policy?format=yaml`);
  expect(yamlResponse.status()).toBe(200);
  expect(parseYaml(await yamlResponse.text())).toEqual(saved.document);
});

test('importing an invalid policy lists the problems by path and saves nothing; a valid one replaces the policy', async ({
  page,
}) => {
  const room = await createTestRoom();
  await signInViaApi(page.request, room.owner);
  const before = await latestSaved(room.id);
  await page.goto(`/rooms/${room.id}/policy`);
  const importForm = page.getByRole('form', { name: 'Import policy' });

  await importForm.getByLabel('Format').selectOption('yaml');
  await importForm
    .getByLabel('Policy to import')
    .fill(
      [
        'defaultEffect: block',
        'rules:',
        '  - id: docs',
        '    name: Docs changes',
        '    match: { paths: { all: ["docs/**"] }, colour: blue }',
        '    effect: explode',
      ].join('\n'),
    );
  await importForm.getByRole('button', { name: 'Import', exact: true }).click();
  await importForm.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Import and replace' }).click();
  const problems = importForm.getByRole('list', { name: 'Import problems' });
  await expect(problems).toContainText('rules[0].effect');
  await expect(problems).toContainText('rules[0].match.colour');
  await expect(importForm.getByText('Nothing was saved: the policy has 2 problems.')).toBeVisible();

  // Not YAML at all.
  await importForm.getByLabel('Policy to import').fill('rules: [unclosed');
  await importForm.getByRole('button', { name: 'Import', exact: true }).click();
  await importForm.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Import and replace' }).click();
  await expect(problems).toContainText('Not valid YAML');

  await page.reload();
  await expect(page.getByText(`Version ${before.version}`, { exact: true })).toBeVisible();
  await expect(ruleItems(page)).toHaveCount(POLICY_PRESETS.length);
  expect(await latestSaved(room.id)).toEqual(before);

  // The same policy, corrected, as JSON.
  await importForm.getByLabel('Format').selectOption('json');
  await importForm.getByLabel('Policy to import').fill(
    JSON.stringify({
      defaultEffect: 'block',
      rules: [{ id: 'docs', name: 'Docs changes', match: { paths: { all: ['docs/**'] } }, effect: 'allow' }],
    }),
  );
  await importForm.getByRole('button', { name: 'Import', exact: true }).click();
  await importForm.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Import and replace' }).click();
  await expect(importForm.getByText(`Imported as version ${before.version + 1}.`)).toBeVisible();
  expect(await ruleNames(page)).toEqual(['Docs changes']);
  await expect(page.getByText(`Version ${before.version + 1}`, { exact: true })).toBeVisible();
  await expect(page.getByLabel('Default effect')).toHaveValue('block');
});

test('a DEVELOPER reads the policy without edit controls, and a forged save is refused', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, developer);
  const before = await latestSaved(room.id);
  await page.goto(`/rooms/${room.id}/policy`);

  await expect(page.getByText('read-only: only ADMINs and OWNERs edit the policy')).toBeVisible();
  await expect(ruleItems(page)).toHaveCount(POLICY_PRESETS.length);
  await expect(rulesList(page).getByRole('listitem', { name: 'Secret detection', exact: true })).toContainText(
    'content looks like it holds a secret',
  );
  await expect(page.getByRole('region', { name: 'When no rule matches' })).toContainText('require approval');
  await expect(page.getByRole('button', { name: 'Save policy' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Move / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add rule' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add freeze window' })).toHaveCount(0);
  await expect(page.getByLabel('Default effect')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Import policy' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Export YAML' })).toBeVisible();

  // The server refuses a DEVELOPER whatever the page shows.
  const policy = { ...defaultPolicy(), defaultEffect: 'allow' as const };
  await expect(saveRoomPolicy(developer.id, room.id, policy, before.version)).rejects.toMatchObject({
    code: 'forbidden',
  });
  expect(await latestSaved(room.id)).toEqual(before);
});

test('the policy export is for members only', async ({ page, request }) => {
  const room = await createTestRoom();
  const url = `/api/rooms/${room.id}/policy?format=json`;

  const signedOut = await request.get(url);
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.json()).toMatchObject({ error: 'unauthenticated' });

  const stranger = await createTestUser('stranger');
  await signInViaApi(page.request, stranger);
  const notMember = await page.request.get(url);
  expect(notMember.status()).toBe(404);
  expect(await notMember.text()).not.toContain('rules');
  await page.goto(`/rooms/${room.id}/policy`);
  await expectNotFoundPage(page);

  await signInViaApi(page.request, room.owner);
  expect((await page.request.get(`/api/rooms/${room.id}/policy?format=toml`)).status()).toBe(400);
});

test('the simulator shows what the gateway would decide, rule by rule, without executing anything', async ({
  page,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, developer);
  const before = await latestSaved(room.id);
  await page.goto(`/rooms/${room.id}/policy`);
  const form = page.getByRole('form', { name: 'Simulate a call' });
  const result = page.getByRole('region', { name: 'Simulation result' });
  const trace = result.getByRole('list', { name: 'Rule trace' });

  // A DEVELOPER pushing to main: rewritten into a branch plus a pull request.
  await form.getByLabel('Role').selectOption('DEVELOPER');
  await form.getByLabel('Tool').selectOption('push_files');
  await form.getByLabel('Branch', { exact: true }).fill('main');
  await form.getByLabel('File paths (one per line)').fill('src/app.ts');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*rewrite\s*by rule 4 “Protected branches”/);
  await expect(trace.locator(':scope > li').nth(3)).toContainText('decided');
  await expect(trace.locator(':scope > li').nth(0)).toContainText('didn’t hold: tool is any read tool');

  // Content with a private key: blocked, and the finding is shown redacted.
  const fakeKey = [
    '-----BEGIN ' + 'RSA PRIVATE KEY-----',
    'MII' + randomBytes(45).toString('base64'),
    randomBytes(48).toString('base64'),
    randomBytes(30).toString('base64'),
    '-----END ' + 'RSA PRIVATE KEY-----',
  ].join('\n');
  await form.getByLabel('Branch', { exact: true }).fill('aegis/keys');
  await form.getByLabel('File paths (one per line)').fill('src/keys.ts');
  await form.getByLabel('Include file contents').check();
  await form.getByLabel('Content of src/keys.ts').fill(`export const key = \`${fakeKey}\`;\n`);
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*block\s*by rule 2 “Secret detection”/);
  await expect(result.getByRole('list', { name: 'Secret findings' })).toContainText('private key');
  await expect(result).toContainText('src/keys.ts:1');
  await expect(result).toContainText('What the agent would see');
  await expect(result).not.toContainText(fakeKey.split('\n')[1]!);

  // A workflow change on an agent branch: needs an approval (sensitive path, High blast radius).
  await form.getByLabel('Include file contents').uncheck();
  await form.getByLabel('Branch', { exact: true }).fill('aegis/ci');
  await form.getByLabel('File paths (one per line)').fill('.github/workflows/ci.yml');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*require approval×1\s*by rule 9 “Sensitive paths”/);
  await expect(result).toContainText('High');
  await expect(result.getByRole('list', { name: 'Blast radius reasons' })).toContainText('.github/workflows/ci.yml');

  // A read: allowed.
  await form.getByLabel('Tool').selectOption('list_branches');
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(result).toContainText(/Decision\s*allow\s*by rule 1 “Read tools”/);
  await expect(result).toContainText('none (a read)');

  // Nothing ran: no branch was created in the repository, no policy was saved.
  expect(branches(room.origin)).toEqual(['main']);
  expect(await latestSaved(room.id)).toEqual(before);
});
