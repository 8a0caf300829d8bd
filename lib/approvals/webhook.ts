// The optional per-room webhook: a JSON POST for each new approval and each decision, signed with
// HMAC-SHA256 over the body (header `X-Aegis-Signature: sha256=<hex>`), retried with exponential
// backoff. Runs in the background: a failing webhook never blocks or changes a decision.
import { createHmac } from 'node:crypto';
import { db } from '../db';
import { decryptSecret } from '../crypto/secret-box';

const ATTEMPTS = 4;
const FIRST_DELAY_MS = 1000;
const TIMEOUT_MS = 5000;

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

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

export function notifyWebhook(roomId: string, payload: WebhookEvent): void {
  void deliver(roomId, payload).catch((error) =>
    console.error('[aegis] webhook delivery failed', error instanceof Error ? error.message : error),
  );
}

async function deliver(roomId: string, payload: WebhookEvent) {
  const room = await db.room.findUnique({ where: { id: roomId }, select: { webhookUrl: true, webhookSecret: true } });
  if (!room?.webhookUrl || !room.webhookSecret) return;
  const body = JSON.stringify({ ...payload, sentAt: new Date().toISOString() });
  const signature = signWebhookBody(body, decryptSecret(room.webhookSecret));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(room.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Aegis-Event': payload.event, 'X-Aegis-Signature': signature },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'manual',
      });
      if (response.ok) return;
    } catch {
      // retried below
    }
    if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, FIRST_DELAY_MS * 4 ** (attempt - 1)));
  }
  console.error(`[aegis] webhook for room ${roomId} failed after ${ATTEMPTS} attempts`);
}
