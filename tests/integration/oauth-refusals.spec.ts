// MCP authorization under attack: every refusal the issue names, driven the way the attacker would
// (raw HTTP, the MCP SDK client, a browser), each checked to have changed nothing — no code, grant
// or token issued, and what was issued before still working (or, for replays, revoked on purpose).
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { db } from '@/lib/db';
import { changeMemberRole, removeMember } from '@/lib/rooms/members';
import { baseUrl, callOk, connectAgent } from '../fixtures/agents';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi, type TestUser } from '../fixtures/users';
import {
  approveInBrowser,
  authorizationUrl,
  connectWithOAuth,
  pkcePair,
  registerTestClient,
  roomMcpUrl,
  startLoopbackReceiver,
  tokenRequest,
  type LoopbackReceiver,
} from '../fixtures/oauth';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

function initializeWith(request: APIRequestContext, url: string, token: string) {
  return request.post(url, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json, text/event-stream' },
    data: initialize,
  });
}

/** The user approves a fresh client in the browser; answers the code and what the client knows. */
async function issueCode(
  page: Page,
  request: APIRequestContext,
  p: { room: TestRoom; user: TestUser; receiver: LoopbackReceiver; role?: string; clientId?: string },
) {
  const clientId = p.clientId ?? (await registerTestClient(request, [p.receiver.redirectUri]));
  const pkce = pkcePair();
  await signInViaApi(page.request, p.user);
  await approveInBrowser(
    page,
    authorizationUrl({
      clientId,
      redirectUri: p.receiver.redirectUri,
      challenge: pkce.challenge,
      resource: roomMcpUrl(p.room.id),
    }),
    { role: p.role ?? 'DEVELOPER' },
  );
  const code = (await p.receiver.next()).searchParams.get('code')!;
  expect(code).toMatch(/^aegis_oac_/);
  return { code, clientId, verifier: pkce.verifier, redirectUri: p.receiver.redirectUri };
}

function exchange(request: APIRequestContext, issued: Awaited<ReturnType<typeof issueCode>>, extra = {}) {
  return tokenRequest(request, {
    grant_type: 'authorization_code',
    code: issued.code,
    client_id: issued.clientId,
    redirect_uri: issued.redirectUri,
    code_verifier: issued.verifier,
    ...extra,
  });
}

let receiver: LoopbackReceiver;
test.beforeEach(async () => {
  receiver = await startLoopbackReceiver();
});
test.afterEach(async () => {
  await receiver.close();
});

test('discovery: every 401 names the protected resource metadata, which names Aegis as the authorization server', async ({
  request,
}) => {
  const room = await createTestRoom();
  const resource = roomMcpUrl(room.id);
  const refused = await request.post(resource, { data: initialize });
  expect(refused.status()).toBe(401);
  const metadataUrl = `${baseUrl()}/.well-known/oauth-protected-resource/rooms/${room.id}/mcp`;
  expect(refused.headers()['www-authenticate']).toBe(`Bearer realm="aegis", resource_metadata="${metadataUrl}"`);
  for (const path of ['/mcp', '/sse']) {
    const response = path === '/mcp' ? await request.post(path, { data: initialize }) : await request.get(path);
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toContain(
      `resource_metadata="${baseUrl()}/.well-known/oauth-protected-resource${path}"`,
    );
  }

  const metadata = await (await request.get(metadataUrl)).json();
  expect(metadata).toMatchObject({
    resource,
    authorization_servers: [baseUrl()],
    bearer_methods_supported: ['header'],
  });
  // Any well-formed room id gets the same answer: the metadata does not tell which rooms exist.
  const unknown = await request.get(`${baseUrl()}/.well-known/oauth-protected-resource/rooms/nosuchroom/mcp`);
  expect(unknown.status()).toBe(200);

  const server = await (await request.get('/.well-known/oauth-authorization-server')).json();
  expect(server).toMatchObject({
    issuer: baseUrl(),
    authorization_endpoint: `${baseUrl()}/oauth/authorize`,
    token_endpoint: `${baseUrl()}/oauth/token`,
    registration_endpoint: `${baseUrl()}/oauth/register`,
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: true,
  });
});

test('a token is refused on another room’s URL, on /mcp, and in the query string', async ({ page, request }) => {
  const room = await createTestRoom();
  const other = await createTestRoom({ owner: room.owner });
  const issued = await issueCode(page, request, { room, user: room.owner, receiver });
  const { access_token: token } = await (await exchange(request, issued)).json();

  const elsewhere = await initializeWith(request, roomMcpUrl(other.id), token);
  expect(elsewhere.status()).toBe(401);
  expect(elsewhere.headers()['www-authenticate']).toContain(
    `/.well-known/oauth-protected-resource/rooms/${other.id}/mcp`,
  );
  expect((await initializeWith(request, `${baseUrl()}/mcp`, token)).status()).toBe(401);
  const inQuery = await request.post(`${roomMcpUrl(room.id)}?access_token=${token}`, { data: initialize });
  expect(inQuery.status()).toBe(401);
  // Headers naming another room are refused too.
  const otherRoomHeader = await request.post(roomMcpUrl(room.id), {
    headers: {
      Authorization: `Bearer ${token}`,
      'X-Aegis-Room': other.id,
      Accept: 'application/json, text/event-stream',
    },
    data: initialize,
  });
  expect(otherRoomHeader.status()).toBe(401);
  // A member token is bound to its room the same way; in headers it works on its own room's URL.
  expect((await initializeWith(request, roomMcpUrl(room.id), other.token)).status()).toBe(401);
  expect((await request.post(`${roomMcpUrl(room.id)}?access_token=${room.token}`, { data: initialize })).status()).toBe(
    401,
  );
  expect(await db.agentSession.count({ where: { roomId: { in: [room.id, other.id] } } })).toBe(0);
  expect((await initializeWith(request, roomMcpUrl(room.id), room.token)).status()).toBe(200);
  // The token still works where it belongs.
  expect((await initializeWith(request, roomMcpUrl(room.id), token)).status()).toBe(200);
});

test('a wrong or missing PKCE verifier, another client or another redirect URI gets no token, and the code still works for its client', async ({
  page,
  request,
}) => {
  const room = await createTestRoom();
  const issued = await issueCode(page, request, { room, user: room.owner, receiver });
  const intruder = await registerTestClient(request, [receiver.redirectUri], 'Intruder');
  const attempts = [
    { extra: { code_verifier: pkcePair().verifier }, error: 'invalid_grant' },
    { extra: { code_verifier: '' }, error: 'invalid_request' },
    { extra: { code_verifier: 'short' }, error: 'invalid_grant' },
    { extra: { client_id: intruder }, error: 'invalid_grant' },
    { extra: { redirect_uri: 'http://127.0.0.1:1/elsewhere' }, error: 'invalid_grant' },
    { extra: { resource: roomMcpUrl('someotherroom') }, error: 'invalid_target' },
  ];
  for (const { extra, error } of attempts) {
    const response = await exchange(request, issued, extra);
    expect(response.status(), JSON.stringify(extra)).toBe(400);
    expect((await response.json()).error, JSON.stringify(extra)).toBe(error);
  }
  expect(await db.oAuthGrant.count({ where: { userId: room.owner.id } })).toBe(0);
  const ok = await exchange(request, issued);
  expect(ok.status()).toBe(200);
  expect(ok.headers()['cache-control']).toBe('no-store');
});

test('an unregistered redirect URI is never redirected to; bad registrations are refused', async ({
  page,
  request,
}) => {
  const room = await createTestRoom();
  const clientId = await registerTestClient(request, [receiver.redirectUri]);
  await signInViaApi(page.request, room.owner);
  for (const redirectUri of [
    'https://attacker.example/callback',
    `${receiver.redirectUri}/../steal`,
    'http://127.0.0.1.attacker.example/callback',
  ]) {
    const response = await page.goto(
      authorizationUrl({ clientId, redirectUri, challenge: pkcePair().challenge, resource: roomMcpUrl(room.id) }),
    );
    expect(response?.url()).toContain(`${baseUrl()}/oauth/authorize`);
    await expect(page.getByRole('heading', { name: 'This agent cannot be connected' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert')).toContainText('did not register');
  }
  // An unknown client is not redirected either.
  await page.goto(
    authorizationUrl({
      clientId: 'nobody',
      redirectUri: receiver.redirectUri,
      challenge: pkcePair().challenge,
      resource: roomMcpUrl(room.id),
    }),
  );
  await expect(page.getByRole('main').getByRole('alert')).toContainText('does not know this agent');
  // A registered redirect URI with a missing PKCE challenge gets the error there, not a code.
  await page.goto(authorizationUrl({ clientId, redirectUri: receiver.redirectUri, resource: roomMcpUrl(room.id) }));
  const back = await receiver.next();
  expect(back.searchParams.get('error')).toBe('invalid_request');
  expect(back.searchParams.get('code')).toBeNull();

  for (const metadata of [
    { redirect_uris: ['javascript:alert(1)'] },
    { redirect_uris: ['http://attacker.example/callback'] },
    { redirect_uris: ['https://ok.example/cb#fragment'] },
    { redirect_uris: [] },
    { redirect_uris: ['https://ok.example/cb'], token_endpoint_auth_method: 'client_secret_basic' },
    { redirect_uris: ['https://ok.example/cb'], grant_types: ['client_credentials'] },
  ]) {
    const response = await request.post('/oauth/register', { data: metadata });
    expect(response.status(), JSON.stringify(metadata)).toBe(400);
    expect((await response.json()).error).toMatch(/^invalid_(redirect_uri|client_metadata)$/);
  }
  expect(await db.oAuthAuthorizationCode.count({ where: { userId: room.owner.id } })).toBe(0);
});

test('a replayed authorization code is refused and revokes what its first use issued', async ({ page, request }) => {
  const room = await createTestRoom();
  const issued = await issueCode(page, request, { room, user: room.owner, receiver });
  const tokens = await (await exchange(request, issued)).json();
  const replay = await exchange(request, issued);
  expect(replay.status()).toBe(400);
  expect((await replay.json()).error).toBe('invalid_grant');
  expect((await initializeWith(request, roomMcpUrl(room.id), tokens.access_token)).status()).toBe(401);
  const refresh = await tokenRequest(request, {
    grant_type: 'refresh_token',
    refresh_token: tokens.refresh_token,
    client_id: issued.clientId,
  });
  expect(refresh.status()).toBe(400);
});

test('refresh tokens rotate; a replayed one revokes the whole family, the rotated one included', async ({
  page,
  request,
}) => {
  const room = await createTestRoom();
  const issued = await issueCode(page, request, { room, user: room.owner, receiver });
  const first = await (await exchange(request, issued)).json();
  const refresh = (token: string) =>
    tokenRequest(request, { grant_type: 'refresh_token', refresh_token: token, client_id: issued.clientId });
  const second = await (await refresh(first.refresh_token)).json();
  expect(second.refresh_token).not.toBe(first.refresh_token);
  expect((await initializeWith(request, roomMcpUrl(room.id), second.access_token)).status()).toBe(200);

  const replay = await refresh(first.refresh_token);
  expect(replay.status()).toBe(400);
  expect((await replay.json()).error).toBe('invalid_grant');
  expect((await refresh(second.refresh_token)).status()).toBe(400);
  expect((await initializeWith(request, roomMcpUrl(room.id), second.access_token)).status()).toBe(401);
  const grant = await db.oAuthGrant.findFirstOrThrow({ where: { userId: room.owner.id, roomId: room.id } });
  expect(grant.revokeReason).toBe('refresh token used twice');
});

test('revoking an agent in Settings fails its next call and ends its session', async ({ page }) => {
  const room = await createTestRoom();
  const { client } = await connectWithOAuth(page, room.id, room.owner, 'DEVELOPER', 'Revocable agent');
  await callOk(client, 'list_branches', {});
  const session = await db.agentSession.findFirstOrThrow({ where: { roomId: room.id, endedAt: null } });

  await page.goto('/settings/profile');
  const row = page.getByRole('row', { name: /Revocable agent/ });
  await waitForRevokeButton(page);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByRole('table', { name: 'Authorised agents' })).toBeHidden();

  await expect(client.callTool({ name: 'list_branches', arguments: {} })).rejects.toThrow();
  await expect
    .poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).endedAt)
    .not.toBeNull();
  await client.close().catch(() => {});
});

async function waitForRevokeButton(page: Page) {
  await page.waitForFunction(() => {
    const form = document.querySelector('form[aria-label^="Revoke"]');
    return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber$'));
  });
}

test('a role above the membership is refused at consent, even from a forged form; nothing is issued', async ({
  page,
  request,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const clientId = await registerTestClient(request, [receiver.redirectUri]);
  await signInViaApi(page.request, developer);
  await page.goto(
    authorizationUrl({
      clientId,
      redirectUri: receiver.redirectUri,
      challenge: pkcePair().challenge,
      resource: roomMcpUrl(room.id),
    }),
  );
  const roleSelect = page.getByLabel('Role the agent acts with');
  await expect(roleSelect.locator('option')).toHaveText(['DEVELOPER']);
  await page.waitForFunction(() =>
    Object.keys(document.querySelector('form')!).some((k) => k.startsWith('__reactFiber$')),
  );
  // The attacker edits the form: the option now says OWNER.
  await roleSelect.evaluate((select: HTMLSelectElement) => {
    select.options[0]!.value = 'OWNER';
  });
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('You can approve at most your own role in this room (DEVELOPER)')).toBeVisible();
  expect(await db.oAuthAuthorizationCode.count({ where: { userId: developer.id } })).toBe(0);
  expect(await db.oAuthGrant.count({ where: { userId: developer.id } })).toBe(0);
});

test('a consent form shown to one user cannot be approved by another; Deny leaves nothing behind', async ({
  page,
  browser,
  request,
}) => {
  const room = await createTestRoom();
  const victim = await addTestMember(room, 'ADMIN');
  const clientId = await registerTestClient(request, [receiver.redirectUri]);
  const url = () =>
    authorizationUrl({
      clientId,
      redirectUri: receiver.redirectUri,
      challenge: pkcePair().challenge,
      resource: roomMcpUrl(room.id),
    });
  // The attacker (the room's OWNER here) renders a consent form for their own request...
  await signInViaApi(page.request, room.owner);
  await page.goto(url());
  const attackersForm = await page.locator('input[name="consent"]').inputValue();
  // ...and gets the victim's browser to submit it.
  const context = await browser.newContext({ baseURL: baseUrl() });
  const victimPage = await context.newPage();
  await signInViaApi(victimPage.request, victim);
  await victimPage.goto(url());
  await victimPage.waitForFunction(() =>
    Object.keys(document.querySelector('form')!).some((k) => k.startsWith('__reactFiber$')),
  );
  await victimPage.locator('input[name="consent"]').evaluate((input: HTMLInputElement, value) => {
    input.value = value;
  }, attackersForm);
  await victimPage.getByRole('button', { name: 'Approve' }).click();
  await expect(victimPage.getByText('This approval form has expired or was not shown to you')).toBeVisible();

  // The page cannot be framed (clickjacking).
  const response = await victimPage.request.get(url());
  expect(response.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(response.headers()['x-frame-options']).toBe('DENY');

  // Deny: the agent is told, and nothing is written.
  await victimPage.goto(url());
  await victimPage.waitForFunction(() =>
    Object.keys(document.querySelector('form')!).some((k) => k.startsWith('__reactFiber$')),
  );
  await victimPage.getByRole('button', { name: 'Deny' }).click();
  const denied = await receiver.next();
  expect(denied.searchParams.get('error')).toBe('access_denied');
  expect(denied.searchParams.get('code')).toBeNull();
  for (const userId of [victim.id, room.owner.id]) {
    expect(await db.oAuthAuthorizationCode.count({ where: { userId } })).toBe(0);
    expect(await db.oAuthGrant.count({ where: { userId } })).toBe(0);
  }
  await context.close();
});

test('removing a member revokes their agents; demoting one caps them and ends sessions above the new role', async ({
  page,
  request,
}) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const { client, provider } = await connectWithOAuth(page, room.id, admin, 'ADMIN', 'Capped agent');
  const session = await db.agentSession.findFirstOrThrow({
    where: { roomId: room.id, userId: admin.id, endedAt: null },
  });
  expect(session.role).toBe('ADMIN');

  await changeMemberRole(room.owner.id, room.id, { userId: admin.id, role: 'DEVELOPER' });
  await expect
    .poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: session.id } })).endedAt)
    .not.toBeNull();
  expect((await db.oAuthGrant.findFirstOrThrow({ where: { userId: admin.id, roomId: room.id } })).role).toBe(
    'DEVELOPER',
  );
  // The same grant now connects as DEVELOPER.
  const again = new Client({ name: 'Capped agent', version: '1.0.0' });
  await again.connect(new StreamableHTTPClientTransport(new URL(roomMcpUrl(room.id)), { authProvider: provider }));
  await callOk(again, 'list_branches', {});
  const latest = await db.agentSession.findFirstOrThrow({
    where: { roomId: room.id, userId: admin.id, endedAt: null },
  });
  expect(latest.role).toBe('DEVELOPER');

  await removeMember(room.owner.id, room.id, admin.id);
  await expect(again.callTool({ name: 'list_branches', arguments: {} })).rejects.toThrow();
  const token = provider.tokens()!.access_token;
  expect((await initializeWith(request, roomMcpUrl(room.id), token)).status()).toBe(401);
  expect(
    (await db.oAuthGrant.findFirstOrThrow({ where: { userId: admin.id, roomId: room.id } })).revokedAt,
  ).not.toBeNull();
  await client.close().catch(() => {});
  await again.close().catch(() => {});
});

test('an agent connected with OAuth keeps its session when a change in its room concerns someone else', async ({
  page,
}) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const { client } = await connectWithOAuth(page, room.id, admin, 'ADMIN', 'Steady agent');
  const oauthSession = await db.agentSession.findFirstOrThrow({
    where: { roomId: room.id, userId: admin.id, endedAt: null },
  });
  // Another ADMIN's agent, opened after the OAuth one, on their member token.
  const other = await addTestMember(room, 'ADMIN');
  const otherAgent = await connectAgent('streamable-http', {
    userId: other.id,
    roomId: room.id,
    token: other.token,
    role: 'ADMIN',
  });
  const otherSession = await db.agentSession.findFirstOrThrow({
    where: { roomId: room.id, userId: other.id, endedAt: null },
  });

  // Demoting the other member makes every instance check the room's sessions again: theirs ends…
  await changeMemberRole(room.owner.id, room.id, { userId: other.id, role: 'DEVELOPER' });
  await expect
    .poll(async () => (await db.agentSession.findUniqueOrThrow({ where: { id: otherSession.id } })).endedAt)
    .not.toBeNull();
  // …and the OAuth agent's, checked first (sessions are checked in the order they were opened),
  // stands: its grant was not touched.
  expect((await db.agentSession.findUniqueOrThrow({ where: { id: oauthSession.id } })).endedAt).toBeNull();
  await callOk(client, 'list_branches', {});
  await client.close().catch(() => {});
  await otherAgent.close().catch(() => {});
});

test('a user who is not a member of the room cannot approve an agent for it', async ({ page, request }) => {
  const room = await createTestRoom();
  const stranger = await createTestUser('stranger');
  const clientId = await registerTestClient(request, [receiver.redirectUri]);
  await signInViaApi(page.request, stranger);
  await page.goto(
    authorizationUrl({
      clientId,
      redirectUri: receiver.redirectUri,
      challenge: pkcePair().challenge,
      resource: roomMcpUrl(room.id),
    }),
  );
  await expect(page.getByRole('main').getByRole('alert')).toContainText('You are not a member of the room');
  await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});
