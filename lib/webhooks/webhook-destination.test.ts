// Webhook destinations: refused when saved and again when sent unless every address is public
// (or private networks are allowed), one message whatever the reason; a request goes to the
// addresses checked at send time (pinned) and follows no redirect.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { NetworkPolicy } from '../network/public-address';
import { assertWebhookDestination, postWebhook, WEBHOOK_REFUSED_MESSAGE } from './webhook-destination';

type Seen = { host?: string; url?: string; headers: IncomingHttpHeaders; body: string };

async function receiver(status = 200, headers: Record<string, string> = {}) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ host: req.headers.host, url: req.url, headers: req.headers, body });
      res.writeHead(status, headers).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const publicDns: NetworkPolicy = {
  allowPrivateNetworks: false,
  lookup: async (host) => {
    if (host === 'hooks.example.com') return ['93.184.216.34'];
    if (host === 'internal.example.com') return ['10.0.0.7'];
    throw new Error('ENOTFOUND');
  },
};
const request = { body: '{"event":"x"}', headers: { 'Content-Type': 'application/json' }, timeoutMs: 5000 };

describe('assertWebhookDestination', () => {
  it('accepts a URL whose host resolves to public addresses only', async () => {
    await assertWebhookDestination('https://hooks.example.com/aegis', publicDns);
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:127.0.0.1]/hook',
    'http://2130706433/hook',
    'http://[fd00::1]/hook',
    'http://192.168.1.10/hook',
    'https://internal.example.com/hook',
    'https://nowhere.example.com/hook',
    'ftp://hooks.example.com/hook',
    'not a url',
  ])('refuses %s with the one message', async (url) => {
    const error = await refusal(assertWebhookDestination(url, publicDns));
    expect(error.message).toBe(WEBHOOK_REFUSED_MESSAGE);
    expect(error.details).toEqual({ field: 'url' });
  });

  it('accepts loopback when the operator allows private networks', async () => {
    await assertWebhookDestination('http://127.0.0.1:8080/hook', { allowPrivateNetworks: true });
  });
});

describe('postWebhook', () => {
  it('sends to the addresses it checked, not to what the name resolves to elsewhere', async () => {
    const hook = await receiver();
    try {
      const pinned: NetworkPolicy = { allowPrivateNetworks: true, lookup: async () => ['127.0.0.1'] };
      const result = await postWebhook(`http://hook.aegis.invalid:${hook.port}/in`, request, pinned);
      expect(result).toEqual({ ok: true, status: 200 });
      expect(hook.seen).toMatchObject([{ host: `hook.aegis.invalid:${hook.port}`, url: '/in', body: request.body }]);
    } finally {
      await hook.close();
    }
  });

  it('checks again at send time: a name that now resolves to loopback is not sent to', async () => {
    const hook = await receiver();
    try {
      const rebound: NetworkPolicy = { allowPrivateNetworks: false, lookup: async () => ['127.0.0.1'] };
      const result = await postWebhook(`http://hooks.example.com:${hook.port}/in`, request, rebound);
      expect(result.ok).toBe(false);
      const literal = await postWebhook(`http://127.0.0.1:${hook.port}/in`, request, { allowPrivateNetworks: false });
      expect(literal.ok).toBe(false);
      expect(hook.seen).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('does not follow redirects', async () => {
    const elsewhere = await receiver();
    const hook = await receiver(307, { Location: `http://127.0.0.1:${elsewhere.port}/stolen` });
    try {
      const result = await postWebhook(`http://127.0.0.1:${hook.port}/in`, request, { allowPrivateNetworks: true });
      expect(result).toMatchObject({ ok: false, status: 307 });
      expect(hook.seen).toHaveLength(1);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await Promise.all([hook.close(), elsewhere.close()]);
    }
  });

  it('reports a refused connection or an error status without throwing', async () => {
    const failing = await receiver(500);
    try {
      expect(
        await postWebhook(`http://127.0.0.1:${failing.port}/`, request, { allowPrivateNetworks: true }),
      ).toMatchObject({ ok: false, status: 500 });
    } finally {
      await failing.close();
    }
    expect((await postWebhook(`http://127.0.0.1:${failing.port}/`, request, { allowPrivateNetworks: true })).ok).toBe(
      false,
    );
  });
});
