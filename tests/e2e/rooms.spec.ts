// Rooms: an OWNER creates a room on a real repository, copies its credentials and rotates the
// token; a DEVELOPER sees the room but cannot manage it; bad input is refused with clear messages.
import { expect, test } from '@playwright/test';
import { expectFieldError } from '../fixtures/forms';
import { expectNotFoundPage } from '../fixtures/pages';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { createOriginRepository, repositoryRoot } from '../fixtures/git';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';

test('an OWNER creates a git room, copies its credentials and rotates the token', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const owner = await createTestUser('owner');
  const origin = createOriginRepository();
  await signInViaApi(page.request, owner);

  await page.goto('/rooms');
  await expect(page.getByText('No rooms yet')).toBeVisible();
  await page.getByRole('link', { name: 'New room' }).click();
  await page.getByLabel('Room name').fill('payments');
  await page.getByLabel('Repository path or URL').fill(origin);
  await page.getByRole('button', { name: 'Create room' }).click();

  await expect(page.getByRole('heading', { name: 'payments' })).toBeVisible();
  const roomId = (await page.getByTestId('room-id').textContent())!.trim();
  const token = (await page.getByTestId('access-token').textContent())!.trim();
  expect(token).toMatch(/^aegis_[A-Za-z0-9_-]{43}$/);

  await page.getByRole('button', { name: 'Copy room ID' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(roomId);
  await page.getByRole('button', { name: 'Copy access token' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // Rotation asks first, then shows a different token; the activity records it.
  await page.getByRole('button', { name: 'Rotate token' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Rotate token' }).click();
  await expect(page.getByText('Token rotated.')).toBeVisible();
  const rotated = (await page.getByTestId('access-token').textContent())!.trim();
  expect(rotated).toMatch(/^aegis_/);
  expect(rotated).not.toBe(token);
  await page.reload();
  await expect(page.getByTestId('access-token')).not.toContainText(rotated.slice(6));
  await expect(page.getByRole('list', { name: 'Room activity' })).toContainText('rotated their access token');

  // Reveal shows the current token and is recorded.
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByTestId('access-token')).toHaveText(rotated);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Room activity' })).toContainText('revealed their access token');

  await page.goto('/rooms');
  await expect(page.getByRole('row', { name: /payments/ })).toContainText('OWNER');
});

test("a DEVELOPER sees their own token, never the OWNER's, and cannot manage members", async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, developer);

  await page.goto('/rooms');
  await page.getByRole('link', { name: room.name }).click();
  await expect(page.getByRole('heading', { name: room.name })).toBeVisible();
  await expect(page.getByTestId('access-token')).not.toContainText(developer.token.slice(6));
  await page.getByRole('button', { name: 'Reveal' }).click();
  await expect(page.getByTestId('access-token')).toHaveText(developer.token);
  expect(await page.content()).not.toContain(room.token);
  await expect(page.getByRole('button', { name: 'Rotate all tokens' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Revoke token' })).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Add member' })).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Members' })).toContainText(room.owner.email);
});

test('a user who is not a member gets a 404 for the room', async ({ page }) => {
  const room = await createTestRoom();
  const stranger = await createTestUser('stranger');
  await signInViaApi(page.request, stranger);
  await page.goto(`/rooms/${room.id}`);
  await expectNotFoundPage(page);
  await expect(page.getByText(room.name)).toHaveCount(0);
});

test('an OWNER manages members; the last OWNER is protected', async ({ page }) => {
  const room = await createTestRoom();
  const colleague = await createTestUser('colleague');
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const addForm = page.getByRole('form', { name: 'Add member' });

  await addForm.getByLabel('Email').fill('nobody-here@example.test');
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText('No Aegis user has the email nobody-here@example.test')).toBeVisible();

  await addForm.getByLabel('Email').fill(colleague.email);
  await addForm.getByLabel('Role').selectOption('ADMIN');
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('list', { name: 'Members' })).toContainText(colleague.email);

  await addForm.getByLabel('Email').fill(colleague.email);
  await addForm.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByText(`${colleague.email} is already a member of this room`)).toBeVisible();

  // Demoting the only OWNER is refused.
  const ownerRole = page.getByRole('form', { name: `Role of ${room.owner.email}` });
  await ownerRole.getByRole('combobox').selectOption('DEVELOPER');
  await ownerRole.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByText('The last OWNER of a room cannot be demoted')).toBeVisible();
});

test('room creation refuses bad input and creates nothing', async ({ page }) => {
  const owner = await createTestUser('badinput');
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');

  await page.getByRole('button', { name: 'Create room' }).click();
  await expect(page.getByText('Room name is required')).toBeVisible();

  await page.getByLabel('Room name').fill('nowhere');
  await page.getByLabel('Repository path or URL').fill(path.join(repositoryRoot(), 'not-here', 'repo.git'));
  await page.getByRole('button', { name: 'Create room' }).click();
  const form = page.getByRole('form', { name: 'Create room' });
  await expectFieldError(form, form.getByLabel('Repository path or URL'), /Aegis cannot use this repository location/);

  const plainDir = mkdtempSync(path.join(repositoryRoot(), 'notrepo-'));
  await page.getByLabel('Repository path or URL').fill(plainDir);
  await page.getByRole('button', { name: 'Create room' }).click();
  await expectFieldError(form, form.getByLabel('Repository path or URL'), /not a git repository/i);

  await page.goto('/rooms');
  await expect(page.getByText('No rooms yet')).toBeVisible();
});

test("Integrations: one tab per client, the room's OAuth URL first (no token), then configs holding the member's own credentials", async ({
  page,
}) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  await signInViaApi(page.request, admin);
  await page.goto(`/integrations?room=${room.id}`);

  const roleSelect = page.getByLabel('Role', { exact: true });
  await expect(roleSelect.locator('option')).toHaveText(['DEVELOPER', 'ADMIN']);
  await roleSelect.selectOption('ADMIN');
  await page.getByRole('button', { name: 'Show configuration' }).click();
  await expect(page).toHaveURL(/role=ADMIN/);

  const tabs = page.getByRole('tablist', { name: 'Agent clients' }).getByRole('tab');
  await expect(tabs).toHaveText(['Claude Code', 'Cursor', 'VS Code Copilot', 'Windsurf', 'Codex']);
  for (const tab of await tabs.all()) {
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const panel = page.getByRole('tabpanel');
    const variants = panel.getByRole('region');
    await expect(variants.first()).toHaveAccessibleName(/\(OAuth\)$/);
    await expect(variants.nth(1)).toHaveAccessibleName(/\(Streamable HTTP\)$/);
    for (const [index, variant] of (await variants.all()).entries()) {
      let all = '';
      for (const pre of await variant.locator('pre[data-language]').all()) {
        const text = (await pre.textContent())!;
        const language = await pre.getAttribute('data-language');
        if (language === 'json') JSON.parse(text);
        if (language === 'toml') parseToml(text);
        all += text;
      }
      if (index === 0) {
        // OAuth: the room's own URL, and nothing secret.
        expect(all).toContain(`/rooms/${room.id}/mcp`);
        expect(all).not.toContain('aegis_');
        expect(all).not.toMatch(/Authorization|Bearer|access_token/);
        continue;
      }
      expect(all).toContain(admin.token);
      expect(all).not.toContain(room.token);
      expect(all).toContain(room.id);
      expect(all).toContain('ADMIN');
    }
  }

  // Claude Code: the one-liner for user scope, and the legacy SSE URL of the seed.
  await tabs.filter({ hasText: 'Claude Code' }).click();
  const oauthCommand = (await page.getByLabel('Claude Code (OAuth): terminal', { exact: true }).textContent())!;
  expect(oauthCommand).toMatch(
    new RegExp(`^claude mcp add --transport http --scope user aegis '[^']+/rooms/${room.id}/mcp'$`),
  );
  const command = (await page.getByLabel('Claude Code (Streamable HTTP): terminal', { exact: true }).textContent())!;
  expect(command).toMatch(/^claude mcp add --transport http --scope user aegis '[^']+\/mcp'/);
  expect(command).toContain(`--header 'Authorization: Bearer ${admin.token}'`);
  const legacy = JSON.parse(
    (await page.getByLabel('Claude Code (SSE (legacy)): .mcp.json (project scope)', { exact: true }).textContent())!,
  );
  const url = new URL(legacy.mcpServers.aegis.url);
  expect(url.pathname).toBe('/sse');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    user_id: admin.id,
    room_id: room.id,
    access_token: admin.token,
    role: 'ADMIN',
  });

  // Codex keeps the token out of its config file.
  await tabs.filter({ hasText: 'Codex' }).click();
  const codex = parseToml(
    (await page.getByLabel('Codex (Streamable HTTP): ~/.codex/config.toml', { exact: true }).textContent())!,
  );
  expect(JSON.stringify(codex)).not.toContain(admin.token);
  expect(codex).toMatchObject({ mcp_servers: { aegis: { bearer_token_env_var: 'AEGIS_ACCESS_TOKEN' } } });
});
