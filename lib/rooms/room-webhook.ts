// The room's optional approvals webhook (URL + signing secret, the secret stored encrypted and
// never shown again). ADMIN/OWNER only. The URL must be one Aegis may send to (public addresses
// unless the operator allows private networks), checked here and again at every delivery.
import { z } from 'zod';
import { config } from '../config';
import { db } from '../db';
import { encryptSecret } from '../crypto/secret-box';
import { invalid } from '../errors';
import { assertCan } from './permissions';
import { getRoomForUser } from './get-room';
import { recordRoomEvent } from './room-events';
import { assertWebhookDestination } from '../webhooks/webhook-destination';
import { waitForRefusalFloor } from '../network/refusal-floor';

export const webhookSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2048)
    .refine((v) => v === '' || /^https?:\/\//i.test(v), 'The webhook URL must start with http:// or https://')
    .pipe(z.union([z.literal(''), z.url('Enter a valid URL')])),
  secret: z.string().max(500).optional(),
});

export async function getRoomWebhook(actorId: string, roomId: string) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'policy.edit');
  const { webhookUrl, webhookSecret } = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { webhookUrl: true, webhookSecret: true },
  });
  return { url: webhookUrl, hasSecret: webhookSecret !== null };
}

/** Sets (or, with an empty URL, removes) the webhook. A new URL needs a secret of 16+ characters. */
export async function updateRoomWebhook(actorId: string, roomId: string, input: { url: string; secret?: string }) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'policy.edit');
  const { url, secret } = webhookSchema
    .superRefine((v, ctx) => {
      if (v.url && v.secret !== undefined && v.secret !== '' && v.secret.length < 16) {
        ctx.addIssue({
          code: 'custom',
          path: ['secret'],
          message: 'The signing secret must be at least 16 characters',
        });
      }
    })
    .parse(input);
  if (url) {
    const started = Date.now();
    await assertWebhookDestination(url, { allowPrivateNetworks: config().AEGIS_ALLOW_PRIVATE_NETWORKS }).catch(
      async (error: unknown) => {
        await waitForRefusalFloor(started);
        throw error;
      },
    );
  }
  const current = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { webhookSecret: true } });
  if (url && !secret && !current.webhookSecret) {
    throw invalid('A signing secret is required for a new webhook', { field: 'secret' });
  }
  await db.$transaction(async (tx) => {
    await tx.room.update({
      where: { id: roomId },
      data: url
        ? { webhookUrl: url, ...(secret ? { webhookSecret: encryptSecret(secret) } : {}) }
        : { webhookUrl: null, webhookSecret: null },
    });
    await recordRoomEvent(tx, {
      roomId,
      actorId,
      kind: 'webhook.changed',
      detail: url ? new URL(url).host : 'removed',
    });
  });
}
