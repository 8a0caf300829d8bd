// A room's webhook cannot be aimed at the server's own network. Anyone who signs up owns the
// rooms they create, so an attacker, as OWNER of their own room, tries to save webhook URLs that
// would make Aegis POST to loopback (a receiver really listens there), the cloud metadata service
// or a private address. The app runs with the default (private networks refused): every attempt
// is refused with one message, nothing is saved, and nothing reaches the receiver. A URL stored
// earlier (while the operator allowed private networks) is refused again when the app's outbox
// worker sends.
import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptSecret } from '@/lib/crypto/secret-box';
import { db } from '@/lib/db';
import { queueWebhook } from '@/lib/webhooks/webhook-outbox';
import { fieldDescription } from '../fixtures/forms';
import { createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';

test('a room OWNER cannot point the webhook at loopback, link-local or private addresses', async ({ page }) => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(String(req.url));
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const room = await createTestRoom();
    await signInViaApi(page.request, room.owner);
    await page.goto(`/rooms/${room.id}`);
    const form = page.getByRole('form', { name: 'Approvals webhook' });

    const answers = new Set<string>();
    for (const url of [
      `http://127.0.0.1:${port}/hook`,
      `http://localhost:${port}/hook`,
      `http://[::ffff:7f00:1]:${port}/hook`,
      `http://2130706433:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
    ]) {
      await page.goto(`/rooms/${room.id}`);
      await form.getByLabel('Webhook URL').fill(url);
      await form.getByLabel('Signing secret').fill('webhook-secret-0123456789');
      const started = Date.now();
      await form.getByRole('button', { name: 'Save webhook' }).click();
      const field = form.getByLabel('Webhook URL');
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      answers.add((await fieldDescription(field)).trim());
      // A literal refused at once and a name that needs resolving answer equally late.
      expect(Date.now() - started, url).toBeGreaterThanOrEqual(1000);
    }
    expect([...answers]).toEqual([expect.stringMatching(/^Aegis cannot send webhooks to this URL/)]);

    // Nothing was saved or recorded, and nothing was sent.
    await page.goto(`/rooms/${room.id}`);
    await expect(form.getByLabel('Webhook URL')).toHaveValue('');
    await expect(page.getByRole('list', { name: 'Room activity' })).not.toContainText(/webhook/i);
    expect(hits).toEqual([]);
  } finally {
    server.close();
  }
});

test('the outbox worker checks the destination again when sending, and never reaches loopback', async () => {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(String(req.url));
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const room = await createTestRoom();
    // As if saved while the operator allowed private networks, before turning them off.
    await db.room.update({
      where: { id: room.id },
      data: { webhookUrl: `http://127.0.0.1:${port}/hook`, webhookSecret: encryptSecret('webhook-secret-0123456789') },
    });
    // An event committed elsewhere (another instance, or before a restart) wakes the app's worker.
    await db.$transaction((tx) => queueWebhook(tx, room.id, 'approval.created', { event: 'approval.created' }));

    // A claimed delivery counts its attempt before the attempt's error is written: wait for the error.
    await expect
      .poll(async () => (await db.webhookDelivery.findFirst({ where: { roomId: room.id } }))?.lastError ?? null)
      .not.toBeNull();
    const delivery = await db.webhookDelivery.findFirstOrThrow({ where: { roomId: room.id } });
    expect(delivery.attempts).toBeGreaterThanOrEqual(1);
    expect(delivery).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/refused/) });
    expect(hits).toEqual([]);
  } finally {
    server.close();
  }
});
