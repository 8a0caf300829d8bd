// The webhook outbox. An event that a room's webhook should hear of is written as a pending
// delivery in the same transaction as the event itself, so it exists exactly when the event
// committed; nothing is sent before that. deliverDueWebhooks() then sends what is due: each
// delivery is claimed by one worker at a time (on any instance), signed with the room's current
// secret, POSTed to its current URL, and on failure retried with exponential backoff until it is
// delivered or given up. Deliveries outlive restarts because they live in the database.
import { config } from '../config';
import { decryptSecret } from '../crypto/secret-box';
import { db } from '../db';
import { publish } from '../events/event-bus';
import type { Prisma } from '../generated/prisma/client';
import type { NetworkPolicy } from '../network/public-address';
import { signWebhookBody } from './sign-webhook';
import { postWebhook } from './webhook-destination';

export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 60 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 5000;
// Longer than a request can take: a claim older than this belongs to a worker that died.
const CLAIM_MS = 60_000;
const BATCH = 20;

/** Delay before attempt `attempt + 1`, after `attempt` failed ones: 2 s, 8 s, 32 s, … up to 1 h. */
export function retryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 4 ** Math.max(0, attempt - 1), MAX_RETRY_MS);
}

type Tx = Prisma.TransactionClient;

/**
 * Queues `payload` for the room's webhook, inside the caller's transaction `tx`: when the room has
 * no webhook nothing is written. Workers are woken when the transaction commits.
 */
export async function queueWebhook(tx: Tx, roomId: string, event: string, payload: Prisma.InputJsonObject) {
  const room = await tx.room.findUnique({ where: { id: roomId }, select: { webhookUrl: true } });
  if (!room?.webhookUrl) return;
  await tx.webhookDelivery.create({ data: { roomId, event, payload } });
  await publish({ type: 'webhook.queued' }, tx);
}

/** Sends every delivery due now (as one worker); returns how many were attempted. */
export async function deliverDueWebhooks(options: { policy?: NetworkPolicy } = {}): Promise<number> {
  const policy = options.policy ?? { allowPrivateNetworks: config().AEGIS_ALLOW_PRIVATE_NETWORKS };
  let attempted = 0;
  for (;;) {
    const now = new Date();
    const due = await db.webhookDelivery.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
      },
      orderBy: { nextAttemptAt: 'asc' },
      take: BATCH,
      select: { id: true },
    });
    const claimed = (await Promise.all(due.map(({ id }) => claim(id)))).filter((id) => id !== null);
    await Promise.all(claimed.map((id) => attempt(id, policy)));
    attempted += claimed.length;
    if (due.length < BATCH) return attempted;
  }
}

/** When the next pending delivery falls due, or null when none is pending. */
export async function nextWebhookDueAt(): Promise<Date | null> {
  const next = await db.webhookDelivery.findFirst({
    where: { status: 'pending' },
    orderBy: { nextAttemptAt: 'asc' },
    select: { nextAttemptAt: true, lockedUntil: true },
  });
  if (!next) return null;
  return next.lockedUntil && next.lockedUntil > next.nextAttemptAt ? next.lockedUntil : next.nextAttemptAt;
}

/** Takes a delivery for this worker (one attempt), unless another worker holds it. */
async function claim(id: string): Promise<string | null> {
  const now = new Date();
  const { count } = await db.webhookDelivery.updateMany({
    where: {
      id,
      status: 'pending',
      nextAttemptAt: { lte: now },
      OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }],
    },
    data: { lockedUntil: new Date(now.getTime() + CLAIM_MS), attempts: { increment: 1 } },
  });
  return count === 1 ? id : null;
}

async function attempt(id: string, policy: NetworkPolicy): Promise<void> {
  const delivery = await db.webhookDelivery.findUniqueOrThrow({
    where: { id },
    select: { event: true, payload: true, attempts: true, room: { select: { webhookUrl: true, webhookSecret: true } } },
  });
  const { webhookUrl, webhookSecret } = delivery.room;
  if (!webhookUrl || !webhookSecret) {
    await db.webhookDelivery.update({
      where: { id },
      data: { status: 'dropped', lockedUntil: null, lastError: 'the room no longer has a webhook' },
    });
    return;
  }
  const body = JSON.stringify({ ...(delivery.payload as Prisma.JsonObject), sentAt: new Date().toISOString() });
  const result = await postWebhook(
    webhookUrl,
    {
      body,
      timeoutMs: REQUEST_TIMEOUT_MS,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Aegis-Webhook',
        'X-Aegis-Event': delivery.event,
        // The same for every attempt of one delivery: receivers can drop repeats.
        'X-Aegis-Delivery': id,
        'X-Aegis-Signature': signWebhookBody(body, decryptSecret(webhookSecret)),
      },
    },
    policy,
  ).catch((error: unknown) => ({ ok: false as const, error: error instanceof Error ? error.message : 'failed' }));

  if (result.ok) {
    await db.webhookDelivery.update({
      where: { id },
      data: { status: 'delivered', deliveredAt: new Date(), lockedUntil: null, lastError: null },
    });
    return;
  }
  const giveUp = delivery.attempts >= MAX_ATTEMPTS;
  await db.webhookDelivery.update({
    where: { id },
    data: {
      status: giveUp ? 'failed' : 'pending',
      lockedUntil: null,
      lastError: result.error.slice(0, 500),
      nextAttemptAt: new Date(Date.now() + retryDelayMs(delivery.attempts)),
    },
  });
  if (giveUp) console.error(`[aegis] webhook delivery ${id} failed after ${delivery.attempts} attempts; giving up`);
}
