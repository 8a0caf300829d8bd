// Where a room's webhook may point, and how one request gets there. A room ADMIN types the URL,
// so, like a repository remote, it may reach only public addresses unless the operator allows
// private networks (AEGIS_ALLOW_PRIVATE_NETWORKS): checked when the URL is saved, and again when
// each request is sent — resolved, every address checked, and the connection pinned to those
// addresses, so a DNS answer that changes in between cannot redirect it. Redirects are not followed.
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { invalid } from '../errors';
import { resolveAllowedHost, type NetworkPolicy } from '../network/public-address';

export const WEBHOOK_REFUSED_MESSAGE =
  'Aegis cannot send webhooks to this URL: it must use http or https and its host must resolve, to ' +
  'public addresses only (unless the operator allows private networks).';

const MAX_RESPONSE_BYTES = 64 * 1024;

/** The addresses a webhook URL may be sent to now, or null when it is refused. */
async function allowedAddresses(url: URL, policy: NetworkPolicy): Promise<string[] | null> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = await resolveAllowedHost(url.hostname, policy);
  return host.ok ? host.addresses : null;
}

/** Refuses (with one message, whatever the reason) a webhook URL Aegis would not send to. */
export async function assertWebhookDestination(rawUrl: string, policy: NetworkPolicy): Promise<void> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw invalid(WEBHOOK_REFUSED_MESSAGE, { field: 'url' });
  }
  if (!(await allowedAddresses(url, policy))) throw invalid(WEBHOOK_REFUSED_MESSAGE, { field: 'url' });
}

export type WebhookResponse = { ok: true; status: number } | { ok: false; status?: number; error: string };

/**
 * POSTs `body` to `rawUrl` once, connecting only to addresses checked just now. Never throws:
 * the outcome (a 2xx, or why not) is the result.
 */
export async function postWebhook(
  rawUrl: string,
  request: { body: string; headers: Record<string, string>; timeoutMs: number },
  policy: NetworkPolicy,
): Promise<WebhookResponse> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, error: 'not a valid URL' };
  }
  const addresses = await allowedAddresses(url, policy);
  if (!addresses) return { ok: false, error: 'refused: not an allowed destination' };

  // Node asks this instead of DNS (IP literals need no lookup and were checked above).
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const all = addresses.map((address) => ({ address, family: isIP(address) }));
    if (options.all) (callback as (e: null, a: typeof all) => void)(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
        lookup: pinned,
        agent: false,
        timeout: request.timeoutMs,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => {
          if (status >= 200 && status < 300) resolve({ ok: true, status });
          else if (status >= 300 && status < 400)
            resolve({ ok: false, status, error: `redirect (${status}) not followed` });
          else resolve({ ok: false, status, error: `answered ${status}` });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end(request.body);
  });
}
