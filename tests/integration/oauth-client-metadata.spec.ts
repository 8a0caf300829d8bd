// Client ID Metadata Documents (the MCP specification's default registration): the client_id is the
// URL of a JSON document describing the client. Aegis fetches it only where the operator lets it
// connect — never a private or loopback address unless AEGIS_ALLOW_PRIVATE_NETWORKS — so a client_id
// cannot make Aegis probe its own network. An instance with private networks allowed (as a developer
// would run it) connects a client whose document is served on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { createTestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';
import { disposeInstance, startInstance, type AppInstance } from '../fixtures/app-instance';
import { approveInBrowser, pkcePair, startLoopbackReceiver, type LoopbackReceiver } from '../fixtures/oauth';

let instance: AppInstance;
let receiver: LoopbackReceiver;
let documentServer: http.Server;
let clientId = '';
const fetched: string[] = [];

test.beforeAll(async () => {
  receiver = await startLoopbackReceiver();
  documentServer = http.createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(
      JSON.stringify({
        client_id: clientId,
        client_name: 'Metadata Document Agent',
        redirect_uris: [receiver.redirectUri],
      }),
    );
  });
  await new Promise<void>((resolve) => documentServer.listen(0, '127.0.0.1', resolve));
  clientId = `http://127.0.0.1:${(documentServer.address() as AddressInfo).port}/oauth/client.json`;
  instance = await startInstance({ env: { AEGIS_ALLOW_PRIVATE_NETWORKS: 'true' } });
});

test.afterAll(async () => {
  await disposeInstance(instance);
  await receiver.close();
  await new Promise<void>((resolve) => documentServer.close(() => resolve()));
});

function authorize(base: string, roomId: string, challenge: string) {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: receiver.redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    resource: `${base}/rooms/${roomId}/mcp`,
    state: 'cimd',
  });
  return `${base}/oauth/authorize?${params}`;
}

test('a client identified by its metadata document connects; the document is never fetched from a private address unless allowed', async ({
  page,
  browser,
}) => {
  const room = await createTestRoom();

  // The default instance allows public addresses only: the document on loopback is not even fetched.
  await signInViaApi(page.request, room.owner);
  await page.goto(authorize(process.env.AEGIS_TEST_URL!, room.id, pkcePair().challenge));
  await expect(page.getByRole('main').getByRole('alert')).toContainText('does not know this agent');
  expect(fetched).toEqual([]);

  // An instance whose operator allows private networks fetches it and names the client from it.
  const context = await browser.newContext({ baseURL: instance.url });
  const operatorPage = await context.newPage();
  await signInViaApi(operatorPage.request, room.owner);
  const pkce = pkcePair();
  await approveInBrowser(operatorPage, authorize(instance.url, room.id, pkce.challenge), {
    role: 'DEVELOPER',
    shows: { agent: 'Metadata Document Agent', returnsTo: new URL(receiver.redirectUri).host, room: room.name },
  });
  expect(fetched.length).toBeGreaterThan(0);
  const code = (await receiver.next()).searchParams.get('code')!;
  const tokens = await operatorPage.request.post(`${instance.url}/oauth/token`, {
    form: {
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: receiver.redirectUri,
      code_verifier: pkce.verifier,
    },
  });
  expect(tokens.status()).toBe(200);
  const { access_token: token } = await tokens.json();
  const initialized = await operatorPage.request.post(`${instance.url}/rooms/${room.id}/mcp`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, text/event-stream' },
    data: {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cimd', version: '0' } },
    },
  });
  expect(initialized.status()).toBe(200);
  await context.close();
});
