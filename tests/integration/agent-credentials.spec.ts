// Agent credentials as an attacker inside the room would try them: a member's own token with
// another member's public user id or a higher role, another agent's session id (read off the room
// page) with no or other credentials, and tokens after rotation and revocation. Each attack is made
// over real HTTP or with the official MCP SDK client; afterwards git shows nothing changed and the
// audit log holds the refusal.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { db } from '@/lib/db';
import { verifyAuditChain } from '@/lib/audit/verify-audit-chain';
import { gitLog } from '../fixtures/git';
import { addTestMember, createTestRoom, type TestMember, type TestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';
import { baseUrl, callOk, connectAgent, mcpHeaders, sseUrl, type AgentCredentials } from '../fixtures/agents';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'attacker', version: '0' } },
};
const pushToMain = {
  jsonrpc: '2.0',
  id: 7,
  method: 'tools/call',
  params: {
    name: 'push_files',
    arguments: { branch: 'main', message: 'owned', files: [{ path: 'pwned.txt', content: 'pwned' }] },
  },
};

async function refusedEntries(roomId: string) {
  return db.auditEntry.findMany({
    where: { roomId, decision: 'refused' },
    orderBy: { seq: 'asc' },
    select: { userId: true, role: true, tool: true, reason: true, arguments: true },
  });
}

async function connectStatus(request: APIRequestContext, creds: AgentCredentials) {
  const sse = await request.get(sseUrl(creds).toString());
  const mcp = await request.post('/mcp', { headers: mcpHeaders(creds), data: initialize });
  return { sse: sse.status(), sseBody: await sse.json(), mcp: mcp.status(), mcpBody: await mcp.json() };
}

test("a DEVELOPER cannot act as the OWNER with their own token and the OWNER's user id", async ({ request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const before = gitLog(room.origin);

  // The OWNER's id is public (room page, audit exports); the token is the developer's own.
  const asOwner = await connectStatus(request, {
    userId: room.owner.id,
    roomId: room.id,
    token: developer.token,
    role: 'OWNER',
  });
  expect([asOwner.sse, asOwner.mcp]).toEqual([401, 401]);
  expect(asOwner.sseBody).toMatchObject({ error: 'invalid_token', message: expect.stringMatching(/another user/) });
  expect(JSON.stringify(asOwner)).not.toContain(developer.token);

  // Their own id with a role above theirs.
  const aboveRole = await connectStatus(request, {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'OWNER',
  });
  expect([aboveRole.sse, aboveRole.mcp]).toEqual([403, 403]);
  expect(aboveRole.mcpBody.error).toBe('role_not_allowed');

  // On /mcp the token alone names user and room, and the role defaults to the least one.
  const bare = await request.post('/mcp', {
    headers: { Authorization: `Bearer ${developer.token}`, Accept: 'application/json, text/event-stream' },
    data: initialize,
  });
  expect(bare.status()).toBe(200);

  // Connected as what they are, a push to main is still governed: rewritten, main untouched.
  const agent = await connectAgent('streamable-http', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  const pushed = await agent.callTool(pushToMain.params);
  expect(JSON.stringify(pushed)).toMatch(/pull request/i);
  await agent.close();
  expect(gitLog(room.origin)).toEqual(before);

  // Every refusal is in the room's audit log, under the token's owner, naming what was claimed.
  const refused = await refusedEntries(room.id);
  expect(refused).toHaveLength(4);
  for (const entry of refused) {
    expect(entry).toMatchObject({ userId: developer.id, role: 'DEVELOPER', tool: 'connect' });
    expect(JSON.stringify(entry)).not.toContain(developer.token);
  }
  expect(refused.map((e) => (e.arguments as { claimedUserId: string }).claimedUserId)).toContain(room.owner.id);
  expect((await verifyAuditChain(room.id)).intact).toBe(true);
});

/** The attacker reads the victim's session id where any member can: the room page's Connected agents. */
async function sessionIdFromRoomPage(page: import('@playwright/test').Page, room: TestRoom, attacker: TestMember) {
  await signInViaApi(page.request, attacker);
  await page.goto(`/rooms/${room.id}`);
  const link = page.getByRole('table', { name: 'Connected agents' }).getByRole('link').first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!.split('/').pop()!;
}

test('an SSE session cannot be driven by another member who knows its id', async ({ page, request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const ownerAgent = await connectAgent('sse', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  const before = gitLog(room.origin);
  const sessionId = await sessionIdFromRoomPage(page, room, developer);

  const attempts = [
    `/sse/message?sessionId=${sessionId}`,
    `/sse/message?sessionId=${sessionId}&key=${'A'.repeat(43)}`,
    `/sse/message?sessionId=${sessionId}&access_token=${developer.token}&user_id=${developer.id}`,
  ];
  for (const path of attempts) {
    const response = await request.post(`${baseUrl()}${path}`, { data: pushToMain });
    expect(response.status(), path).toBe(404);
    expect((await response.json()).error).toBe('unknown_session');
  }
  expect(gitLog(room.origin)).toEqual(before);
  // The OWNER's own agent is unaffected.
  await callOk(ownerAgent, 'list_branches', {});
  await ownerAgent.close();
});

test('a Streamable HTTP session answers only the token and role that opened it', async ({ page, request }) => {
  const room = await createTestRoom();
  const admin = await addTestMember(room, 'ADMIN');
  const ownerAgent = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  const before = gitLog(room.origin);
  const sessionId = await sessionIdFromRoomPage(page, room, admin);

  const asAdmin = mcpHeaders({ userId: admin.id, roomId: room.id, token: admin.token, role: 'ADMIN' });
  const hijack = await request.post('/mcp', { headers: { ...asAdmin, 'Mcp-Session-Id': sessionId }, data: pushToMain });
  expect(hijack.status()).toBe(404);
  // The OWNER's own token with a lower role is another agent, too.
  const lower = mcpHeaders({ userId: room.owner.id, roomId: room.id, token: room.token, role: 'DEVELOPER' });
  const downgraded = await request.post('/mcp', {
    headers: { ...lower, 'Mcp-Session-Id': sessionId },
    data: pushToMain,
  });
  expect(downgraded.status()).toBe(404);
  expect(gitLog(room.origin)).toEqual(before);
  await callOk(ownerAgent, 'list_branches', {});
  await ownerAgent.close();
});

test('an OWNER revokes a member token and rotates every token from the room page', async ({ page, request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const developerCreds = { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' };
  const agent = await connectAgent('sse', developerCreds);
  await callOk(agent, 'list_branches', {});

  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  const tokenForm = page.getByRole('form', { name: `Token of ${developer.email}` });
  await tokenForm.getByRole('button', { name: 'Revoke token' }).click();
  await tokenForm.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Revoke token' }).click();
  await expect(page.getByText('Token revoked; their agents were disconnected.')).toBeVisible();

  // The revoked token's session ends and the token no longer connects.
  await expect(agent.callTool({ name: 'list_branches', arguments: {} })).rejects.toThrow();
  expect((await request.get(sseUrl(developerCreds).toString())).status()).toBe(401);
  const revoked = await db.member.findUniqueOrThrow({
    where: { roomId_userId: { roomId: room.id, userId: developer.id } },
    select: { tokenCiphertext: true },
  });
  expect(revoked.tokenCiphertext).not.toBeNull();

  // Rotating every token also ends the OWNER's own agents; the old OWNER token is dead.
  const ownerCreds = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
  const ownerAgent = await connectAgent('streamable-http', ownerCreds);
  await page.getByRole('button', { name: 'Rotate all tokens' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Rotate all tokens' }).click();
  await expect(page.getByText('Every member has a new token')).toBeVisible();
  await expect(ownerAgent.callTool({ name: 'list_branches', arguments: {} })).rejects.toThrow();
  expect((await request.get(sseUrl(ownerCreds).toString())).status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Room activity' })).toContainText("rotated every member's access token");
  await expect(page.getByRole('list', { name: 'Room activity' })).toContainText("revoked a member's access token");
});

test('an SSE agent whose token was rotated is told why its session ended', async ({ page }) => {
  const room = await createTestRoom();
  const creds = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
  const controller = new AbortController();
  const stream = await fetch(sseUrl(creds), { signal: controller.signal });
  const { value } = await stream.body!.getReader().read();
  const endpoint = /data: (\S+)/.exec(new TextDecoder().decode(value))![1]!;
  expect(endpoint).toMatch(/^\/sse\/message\?sessionId=[^&]+&key=[A-Za-z0-9_-]{43}$/);

  await signInViaApi(page.request, room.owner);
  await page.goto(`/rooms/${room.id}`);
  await page.getByRole('button', { name: 'Rotate token' }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Rotate token' }).click();
  await expect(page.getByText('Token rotated.')).toBeVisible();

  await expect
    .poll(async () => {
      const response = await fetch(`${baseUrl()}${endpoint}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(initialize),
      });
      return response.status === 404 ? await response.json() : response.status;
    })
    .toMatchObject({ error: 'session_ended', message: expect.stringMatching(/rotated/) });
  const reconnect = await fetch(sseUrl(creds));
  expect(reconnect.status).toBe(401);
  expect(reconnect.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect((await reconnect.json()).message).toMatch(/rotated/);
  controller.abort();
});

test('one member token holds at most AEGIS_MAX_SESSIONS_PER_TOKEN open sessions (default 100)', async () => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const creds = { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' };
  const controller = new AbortController();
  try {
    const open = await Promise.all(
      Array.from({ length: 100 }, () => fetch(sseUrl(creds), { signal: controller.signal })),
    );
    expect(open.map((r) => r.status)).toEqual(Array(100).fill(200));
    const over = await fetch(sseUrl(creds));
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({ error: 'too_many_sessions' });
    // Another member's token is not affected.
    const owner = await fetch(sseUrl({ ...creds, userId: room.owner.id, token: room.token }), {
      signal: controller.signal,
    });
    expect(owner.status).toBe(200);
  } finally {
    controller.abort();
  }
});
