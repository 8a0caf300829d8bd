// How receivers know a webhook request came from Aegis: HMAC-SHA256 of the exact body with the
// room's signing secret, sent as `X-Aegis-Signature: sha256=<hex>`.
import { createHmac } from 'node:crypto';

export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
