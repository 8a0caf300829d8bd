// The webhook outbox on a real PostgreSQL, with a receiver on loopback (allowed for these tests
// as an operator could allow it; the default refusal is tested at the end): approval events are
// queued in the transaction that records them — none when it rolls back, nothing sent before
// commit — then sent signed, once per delivery however many workers run, retried with backoff
// from what the database holds (as after a restart), given up after MAX_ATTEMPTS, dropped when
// the webhook is removed.
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceApproval } from '../approvals/approval-events';
import { encryptSecret } from '../crypto/secret-box';
import { db } from '../db';
import { AppError } from '../errors';
import { createOrigin, disposeOriginTemplate } from '../git/test-fixtures';
import { createRoom } from '../rooms/create-room';
import { updateRoomWebhook } from '../rooms/room-webhook';
import { createUser } from '../users/create-user';
import { WEBHOOK_REFUSED_MESSAGE } from './webhook-destination';
import { deliverDueWebhooks, MAX_ATTEMPTS, retryDelayMs } from './webhook-outbox';

const SECRET = 'webhook-secret-0123456789';
const loopbackAllowed = { policy: { allowPrivateNetworks: true } };

type Received = { headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];
let status = 200;
let port = 0;
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});

afterAll(async () => {
  await close();
  await disposeOriginTemplate();
});

async function roomWithWebhook() {
  const tag = randomBytes(5).toString('hex');
  const owner = await createUser({ name: `owner ${tag}`, email: `owner-${tag}@example.test`, password: `pw-${tag}-x` });
  const dir = mkdtempSync(path.join(process.env.AEGIS_REPOSITORY_ROOTS!.split(':')[0]!, 'outbox-'));
  const { origin } = await createOrigin(dir);
  const { room } = await createRoom(owner.id, { name: `outbox ${tag}`, repositoryKind: 'git', location: origin });
  // Set directly: saving a loopback URL through updateRoomWebhook is refused by default (below).
  await db.room.update({
    where: { id: room.id },
    data: { webhookUrl: `http://127.0.0.1:${port}/hook/${room.id}`, webhookSecret: encryptSecret(SECRET) },
  });
  return { owner, room };
}

function approval(roomId: string, status = 'pending') {
  return {
    id: `approval-${randomBytes(4).toString('hex')}`,
    roomId,
    tool: 'push_files',
    status,
    requesterId: 'requester',
    ruleName: 'sensitive paths',
    createdAt: new Date(),
  };
}

const deliveries = (roomId: string) =>
  db.webhookDelivery.findMany({ where: { roomId }, orderBy: { createdAt: 'asc' } });
const forRoom = (roomId: string) => received.filter((r) => r.headers['x-aegis-delivery'] && r.body.includes(roomId));

describe('the webhook outbox', { timeout: 30_000 }, () => {
  it('queues an event only when its transaction commits, and sends it only after that', async () => {
    const { room } = await roomWithWebhook();
    await db
      .$transaction(async (tx) => {
        await announceApproval(approval(room.id), tx, { event: 'approval.created' });
        throw new Error('rolled back');
      })
      .catch(() => {});
    expect(await deliveries(room.id)).toEqual([]);

    const created = approval(room.id);
    await db.$transaction(async (tx) => {
      await announceApproval(created, tx, { event: 'approval.created' });
      // Inside the transaction: queued, not sent.
      expect(await tx.webhookDelivery.count({ where: { roomId: room.id } })).toBe(1);
    });
    expect(forRoom(room.id)).toEqual([]);
    expect(await deliveries(room.id)).toMatchObject([{ status: 'pending', attempts: 0 }]);

    await deliverDueWebhooks(loopbackAllowed);
    const [sent] = forRoom(room.id);
    expect(sent!.headers['x-aegis-event']).toBe('approval.created');
    expect(sent!.headers['x-aegis-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(sent!.body).digest('hex')}`,
    );
    expect(JSON.parse(sent!.body)).toMatchObject({ event: 'approval.created', approval: { id: created.id } });
    expect(await deliveries(room.id)).toMatchObject([{ status: 'delivered', attempts: 1 }]);
  });

  it('sends each delivery once however many workers run at the same time', async () => {
    const { room } = await roomWithWebhook();
    await db.$transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await announceApproval(approval(room.id), tx, { event: 'approval.created' });
    });
    await Promise.all([1, 2, 3].map(() => deliverDueWebhooks(loopbackAllowed)));
    const sent = forRoom(room.id);
    expect(sent).toHaveLength(5);
    expect(new Set(sent.map((r) => r.headers['x-aegis-delivery'])).size).toBe(5);
  });

  it('retries a failed delivery with backoff from what the database holds, as after a restart', async () => {
    const { room } = await roomWithWebhook();
    await db.$transaction((tx) => announceApproval(approval(room.id, 'denied'), tx, { event: 'approval.decided' }));
    status = 503;
    try {
      const before = Date.now();
      await deliverDueWebhooks(loopbackAllowed);
      const [failed] = await deliveries(room.id);
      expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: 'answered 503', lockedUntil: null });
      expect(failed!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + retryDelayMs(1));
      // Not due yet: a second round sends nothing.
      await deliverDueWebhooks(loopbackAllowed);
      expect(forRoom(room.id)).toHaveLength(1);
    } finally {
      status = 200;
    }
    // Time passes (or the process restarts later): the delivery is picked up from the database.
    await db.webhookDelivery.updateMany({ where: { roomId: room.id }, data: { nextAttemptAt: new Date() } });
    await deliverDueWebhooks(loopbackAllowed);
    const sent = forRoom(room.id);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers['x-aegis-delivery']).toBe(sent[1]!.headers['x-aegis-delivery']);
    expect(await deliveries(room.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    expect(retryDelayMs(1)).toBeLessThan(retryDelayMs(2));
  });

  it('gives up after the last attempt, and drops deliveries of a removed webhook', async () => {
    const { owner, room } = await roomWithWebhook();
    await db.$transaction((tx) => announceApproval(approval(room.id), tx, { event: 'approval.created' }));
    await db.webhookDelivery.updateMany({ where: { roomId: room.id }, data: { attempts: MAX_ATTEMPTS - 1 } });
    status = 500;
    try {
      await deliverDueWebhooks(loopbackAllowed);
    } finally {
      status = 200;
    }
    expect(await deliveries(room.id)).toMatchObject([{ status: 'failed', attempts: MAX_ATTEMPTS }]);

    await db.$transaction((tx) => announceApproval(approval(room.id), tx, { event: 'approval.created' }));
    await updateRoomWebhook(owner.id, room.id, { url: '' });
    const sentBefore = forRoom(room.id).length;
    await deliverDueWebhooks(loopbackAllowed);
    expect(forRoom(room.id)).toHaveLength(sentBefore);
    expect((await deliveries(room.id))[1]).toMatchObject({ status: 'dropped' });
    // With no webhook, nothing is queued at all.
    await db.$transaction((tx) => announceApproval(approval(room.id), tx, { event: 'approval.created' }));
    expect(await deliveries(room.id)).toHaveLength(2);
  });

  it('refuses to send to loopback unless private networks are allowed', async () => {
    const { owner, room } = await roomWithWebhook();
    await db.$transaction((tx) => announceApproval(approval(room.id), tx, { event: 'approval.created' }));
    await deliverDueWebhooks({ policy: { allowPrivateNetworks: false } });
    expect(forRoom(room.id)).toEqual([]);
    expect(await deliveries(room.id)).toMatchObject([
      { status: 'pending', lastError: expect.stringMatching(/refused/) },
    ]);

    // Saving such a URL is refused in the first place (the test configuration is the default).
    const error = await updateRoomWebhook(owner.id, room.id, {
      url: `http://127.0.0.1:${port}/x`,
      secret: SECRET,
    }).then(
      () => null,
      (e: AppError) => e,
    );
    expect(error?.message).toBe(WEBHOOK_REFUSED_MESSAGE);
  });
});
