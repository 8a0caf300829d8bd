// Approval state changes, announced to every instance (waiting agents, live inboxes) and to the
// room's webhook (queued in the same transaction, sent after it commits).
import { publish } from '../events/event-bus';
import type { Prisma } from '../generated/prisma/client';
import { notifyWebhook, type WebhookEvent } from './webhook';

type ApprovalSummary = {
  id: string;
  roomId: string;
  tool: string;
  status: string;
  requesterId: string;
  ruleName: string;
  createdAt: Date;
};

export async function announceApproval(
  approval: ApprovalSummary,
  tx?: Prisma.TransactionClient,
  webhook?: { event: WebhookEvent['event']; review?: WebhookEvent['review'] },
) {
  await publish(
    { type: 'approval.changed', approvalId: approval.id, roomId: approval.roomId, status: approval.status },
    tx,
  );
  if (webhook) {
    await notifyWebhook(tx, approval.roomId, {
      event: webhook.event,
      approval: { ...approval, createdAt: approval.createdAt.toISOString() },
      review: webhook.review,
    });
  }
}
