// The live inbox misses nothing: an approval created after the inbox page was rendered but before
// its event stream was listening still appears, without a reload. (The stream is held back here
// until the approval exists, which is what a slow page load does by chance.)
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';
import { connectAgent } from '../fixtures/agents';

test('an approval created while the inbox is still connecting appears once it is listening', async ({ page }) => {
  const room = await createTestRoom();
  const reviewer = await addTestMember(room, 'ADMIN');
  const agent = await connectAgent(
    'streamable-http',
    { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' },
    'claude-code',
  );
  await signInViaApi(page.request, reviewer);

  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/approvals/stream', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/approvals');
  await expect(page.getByText('Nothing waits for your review')).toBeVisible();

  // A change to CI needs an approval, whoever makes it.
  const call = agent
    .callTool(
      {
        name: 'push_files',
        arguments: {
          branch: 'aegis/ci',
          message: 'Run the tests on pull requests',
          files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\n' }],
        },
      },
      undefined,
      { resetTimeoutOnProgress: true, onprogress: () => {} },
    )
    .catch(() => undefined);
  await expect.poll(() => db.approval.count({ where: { roomId: room.id, status: 'pending' } })).toBe(1);

  release();
  const item = page.getByRole('list', { name: 'Pending approvals' }).getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('push_files');
  await agent.close();
  await call;
});
