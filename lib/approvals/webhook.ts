// What the room's optional webhook hears about approvals: a JSON POST for each new approval and
// each decision, signed (see lib/webhooks/sign-webhook.ts). The event is queued in the webhook
// outbox inside the transaction that records it and sent after that commits, with retries
// (lib/webhooks/webhook-outbox.ts): a failing webhook never blocks or changes a decision.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { queueWebhook } from '../webhooks/webhook-outbox';

export { signWebhookBody } from '../webhooks/sign-webhook';

export type WebhookEvent = {
  event: 'approval.created' | 'approval.decided';
  approval: {
    id: string;
    roomId: string;
    tool: string;
    status: string;
    requesterId: string;
    ruleName: string;
    createdAt: string;
  };
  review?: { reviewerId: string; decision: string; comment: string };
};

/** Queues the event for the room's webhook in `tx`, the transaction that records the event. */
export async function notifyWebhook(tx: Prisma.TransactionClient | undefined, roomId: string, payload: WebhookEvent) {
  const json = JSON.parse(JSON.stringify(payload)) as Prisma.InputJsonObject;
  await queueWebhook(tx ?? db, roomId, payload.event, json);
}
