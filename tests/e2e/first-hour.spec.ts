// What a new user and their agent meet in the first hour, taken the user's way: a room created in
// the dashboard, credentials copied off its page, the official MCP SDK client as the agent, and the
// room page as the admin sees it.
import { expect, test, type Page } from '@playwright/test';
import { createOriginRepository } from '../fixtures/git';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi, type TestUser } from '../fixtures/users';
import { connectAgent, resultText } from '../fixtures/agents';

/** Creates a room through the New room form and returns what its page shows. */
async function createRoomInDashboard(page: Page, owner: TestUser) {
  const origin = createOriginRepository({ 'README.md': '# hello\n' });
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');
  await page.getByLabel('Room name').fill(`first-${Date.now()}`);
  await page.getByLabel('Repository path or URL').fill(origin);
  await page.getByRole('button', { name: 'Create room' }).click();
  const roomId = (await page.getByTestId('room-id').textContent())!.trim();
  const token = (await page.getByTestId('access-token').textContent())!.trim();
  expect(token).toMatch(/^aegis_/);
  return { roomId, token, origin };
}

test('an agent on a room made in the dashboard gets the real reason for ordinary errors', async ({ page }) => {
  const owner = await createTestUser('owner');
  const { roomId, token } = await createRoomInDashboard(page, owner);
  // The dashboard built (and cached) the room's repository first; the gateway's bundle uses it now.
  const agent = await connectAgent('streamable-http', { userId: owner.id, roomId, token, role: 'OWNER' });
  try {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['get_file_contents', { path: 'missing.txt' }, /missing\.txt/],
      ['create_branch', { branch: 'main' }, /already exists/],
      ['create_branch', { branch: 'aegis/new', from_branch: 'no-such-branch' }, /no-such-branch/],
    ];
    for (const [name, args, reason] of cases) {
      const result = await agent.callTool({ name, arguments: args });
      const text = resultText(result);
      expect(result.isError, `${name} ${text}`).toBe(true);
      expect(text).toMatch(reason);
      expect(text).not.toMatch(/internal error/i);
    }
  } finally {
    await agent.close();
  }
});

test('Members → Remove removes the member, and the last OWNER cannot be removed', async ({ page }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const members = page.getByRole('list', { name: 'Members' });
  await expect(members).toContainText(developer.email);

  const row = members.getByRole('listitem').filter({ hasText: developer.email });
  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Remove' }).click();
  await expect(members).not.toContainText(developer.email);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Members' })).not.toContainText(developer.email);

  const ownerRow = page
    .getByRole('list', { name: 'Members' })
    .getByRole('listitem')
    .filter({ hasText: room.owner.email });
  await ownerRow.getByRole('button', { name: 'Remove' }).click();
  await ownerRow.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('The last OWNER of a room cannot be removed')).toBeVisible();
});

test('a connected agent stays listed on the room page for as long as it is connected', async ({ page }) => {
  const room = await createTestRoom();
  const agent = await connectAgent(
    'sse',
    {
      userId: room.owner.id,
      roomId: room.id,
      token: room.token,
      role: 'OWNER',
    },
    'long-lived-agent',
  );
  const connectedAt = Date.now();
  await signInViaApi(page.request, room.owner);
  // The test app beats every second, so a session is presumed gone after 3 s without one: wait until
  // well past that window with no call from the agent, then it must still be listed.
  await expect
    .poll(
      async () => {
        await page.goto(`/rooms/${room.id}`);
        const listed = await page
          .getByRole('table', { name: 'Connected agents' })
          .getByText('long-lived-agent')
          .count();
        return { listed: listed > 0, pastWindow: Date.now() - connectedAt > 5_000 };
      },
      { timeout: 20_000 },
    )
    .toEqual({ listed: true, pastWindow: true });
  await agent.close();
});
