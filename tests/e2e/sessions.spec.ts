// Agent sessions as a room admin sees them: connected agents on the room page, one session's calls
// as a story, and disconnecting an agent.
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';
import { callOk, connectAgent } from '../fixtures/agents';

test('the room lists a connected agent, its session page tells its calls in order, and it can be disconnected', async ({
  page,
}) => {
  const room = await createTestRoom();
  const agent = await connectAgent(
    'sse',
    { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' },
    'cursor-agent',
  );
  await callOk(agent, 'list_branches', {});
  await callOk(agent, 'get_file_contents', { path: 'README.md' });
  await agent.callTool({
    name: 'push_files',
    arguments: { branch: '-bad', message: 'x', files: [{ path: 'a', content: 'a' }] },
  });

  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const agents = page.getByRole('table', { name: 'Connected agents' });
  await expect(agents).toContainText('cursor-agent');
  await expect(agents).toContainText('sse');
  await agents.getByRole('link', { name: 'cursor-agent' }).click();

  const calls = page.getByRole('list', { name: 'Session calls' }).getByRole('listitem');
  await expect(calls).toHaveCount(3);
  await expect(calls.nth(0)).toContainText('list_branches');
  await expect(calls.nth(1)).toContainText('get_file_contents');
  await expect(calls.nth(2)).toContainText('push_files');
  await expect(calls.nth(2)).toContainText('invalid');
  await expect(page.getByRole('list', { name: 'Calls by decision' })).toContainText('3 calls');

  await page.getByRole('link', { name: '← Room' }).click();
  await agents.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByText('No agents connected')).toBeVisible();
  await expect
    .poll(async () => (await db.agentSession.findFirstOrThrow({ where: { roomId: room.id } })).endReason)
    .toBe('disconnected by a room admin');
  await expect(agent.callTool({ name: 'list_branches', arguments: {} })).rejects.toThrow();
  await agent.close();
});
