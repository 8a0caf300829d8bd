// Who may connect, and what a refused caller learns: wrong tokens, rotated tokens mid-session,
// non-members, roles above the member's, hostile hosts, malformed and oversized messages.
import { expect, test } from '@playwright/test';
import { rotateMyToken } from '@/lib/rooms/member-tokens';
import { archiveRoom } from '@/lib/rooms/archive-room';
import { db } from '@/lib/db';
import { gitLog } from '../fixtures/git';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { createTestUser } from '../fixtures/users';
import { baseUrl, connectAgent, mcpHeaders, sseUrl, type TransportName } from '../fixtures/agents';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

test('refusals say which check failed, without revealing rooms or users to a caller without a valid token', async ({
  request,
}) => {
  const room = await createTestRoom();
  const other = await createTestRoom();
  const stranger = await createTestUser('stranger');
  const cases = [
    {
      creds: { userId: room.owner.id, roomId: room.id, token: 'aegis_wrong', role: 'OWNER' },
      status: 401,
      error: 'invalid_token',
    },
    {
      creds: { userId: room.owner.id, roomId: room.id, token: other.token, role: 'OWNER' },
      status: 401,
      error: 'invalid_token',
    },
    {
      creds: { userId: 'no-such-user', roomId: 'no-such-room', token: 'aegis_x', role: 'OWNER' },
      status: 401,
      error: 'invalid_token',
    },
    {
      creds: { userId: room.owner.id, roomId: room.id, token: '', role: 'OWNER' },
      status: 401,
      error: 'invalid_token',
    },
    {
      // a valid token with someone else's user id: the token is its member's alone
      creds: { userId: stranger.id, roomId: room.id, token: room.token, role: 'DEVELOPER' },
      status: 401,
      error: 'invalid_token',
    },
    {
      creds: { userId: room.owner.id, roomId: room.id, token: room.token, role: 'ROOT' },
      status: 403,
      error: 'role_not_allowed',
    },
  ];
  for (const { creds, status, error } of cases) {
    const sse = await request.get(sseUrl(creds).toString());
    expect(sse.status(), JSON.stringify(creds)).toBe(status);
    const body = await sse.json();
    expect(body.error).toBe(error);
    expect(JSON.stringify(body)).not.toContain(room.token);
    const mcp = await request.post('/mcp', { headers: mcpHeaders(creds), data: initialize });
    expect(mcp.status()).toBe(status);
    expect((await mcp.json()).error).toBe(error);
  }
});

for (const transport of ['sse', 'streamable-http'] as TransportName[]) {
  test(`${transport}: a token rotated mid-session ends the session and refuses its next call`, async () => {
    const room = await createTestRoom();
    const agent = await connectAgent(transport, {
      userId: room.owner.id,
      roomId: room.id,
      token: room.token,
      role: 'OWNER',
    });
    await agent.callTool({ name: 'list_branches', arguments: {} });
    const before = gitLog(room.origin);

    await rotateMyToken(room.owner.id, room.id);
    // Refused when it arrives, or — when the rotation ends the session while the call is in
    // flight — answered with the end of the session: either way promptly (the SDK's own timeout is
    // a minute), saying why, and git below shows nothing was pushed.
    const started = Date.now();
    const refusal = await agent
      .callTool({
        name: 'push_files',
        arguments: { branch: 'aegis/x', message: 'x', files: [{ path: 'a.txt', content: 'a' }] },
      })
      .then(
        () => null,
        (error: Error) => error,
      );
    expect(refusal?.message).toMatch(/rotated/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(gitLog(room.origin)).toEqual(before);
    // The session is over, recorded with the reason.
    await expect
      .poll(async () =>
        (await db.agentSession.findMany({ where: { roomId: room.id }, select: { endReason: true } })).map(
          (s) => s.endReason,
        ),
      )
      .toEqual([expect.stringMatching(/rotated/)]);
    await agent.close();
  });
  test(`${transport}: a call held for approval when its session ends is answered at once, saying why`, async () => {
    const room = await createTestRoom();
    const developer = await addTestMember(room, 'DEVELOPER');
    const agent = await connectAgent(transport, {
      userId: developer.id,
      roomId: room.id,
      token: developer.token,
      role: 'DEVELOPER',
    });
    // A sensitive path needs a reviewer: the call is held (up to the approval wait, 15 s here).
    const held = agent
      .callTool({
        name: 'push_files',
        arguments: {
          branch: 'aegis/ci',
          message: 'ci',
          files: [{ path: '.github/workflows/ci.yml', content: 'on: push\n' }],
        },
      })
      .then(
        () => null,
        (error: Error) => error,
      );
    await expect.poll(() => db.approval.count({ where: { roomId: room.id } })).toBe(1);

    const started = Date.now();
    await rotateMyToken(developer.id, room.id);
    const answer = await held;
    // Well before the approval wait would have ended the call: the end of the session answered it.
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(answer?.message).toMatch(/session_ended: This session ended \(.*rotated.*\) before this call was answered/);
    await agent.close();
  });
}

test('an archived room refuses its token', async ({ request }) => {
  const room = await createTestRoom();
  await archiveRoom(room.owner.id, room.id);
  const response = await request.get(
    sseUrl({ userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' }).toString(),
  );
  expect(response.status()).toBe(401);
  expect((await response.json()).error).toBe('invalid_token');
});

test('a removed member loses access', async ({ request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const creds = { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' };
  const { removeMember } = await import('@/lib/rooms/members');
  await removeMember(room.owner.id, room.id, developer.id);
  // Their token went with their membership.
  const response = await request.get(sseUrl(creds).toString());
  expect(response.status()).toBe(401);
  expect((await response.json()).error).toBe('invalid_token');
});

test('hosts and origins Aegis does not serve are refused (DNS-rebinding protection)', async () => {
  const room = await createTestRoom();
  const creds = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
  const url = sseUrl(creds);
  // fetch cannot forge Host, so talk HTTP directly.
  const { request: httpRequest } = await import('node:http');
  const status = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname + url.search, headers },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.end();
    });
  expect(await status({ Host: 'attacker.example' })).toBe(403);
  expect(await status({ Host: `localhost:${url.port}`, Origin: 'https://attacker.example' })).toBe(403);
});

test('malformed JSON-RPC, oversized bodies and unknown sessions get clear errors', async ({ request }) => {
  const room = await createTestRoom();
  const headers = mcpHeaders({ userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' });

  const notJson = await request.post('/mcp', {
    headers: { ...headers, 'Content-Type': 'application/json' },
    data: Buffer.from('{"jsonrpc": "2.0", "id": 1,'),
  });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.code).toBe(-32700);

  const notInitialize = await request.post('/mcp', { headers, data: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
  expect(notInitialize.status()).toBe(400);

  const huge = await request.post('/mcp', { headers, data: { ...initialize, padding: 'x'.repeat(5 * 1024 * 1024) } });
  expect(huge.status()).toBe(413);
  expect((await huge.json()).error).toBe('payload_too_large');

  const unknown = await request.post('/mcp', { headers: { ...headers, 'Mcp-Session-Id': 'nope' }, data: initialize });
  expect(unknown.status()).toBe(404);

  const sseMessage = await request.post(`${baseUrl()}/sse/message?sessionId=nope`, { data: initialize });
  expect(sseMessage.status()).toBe(404);
});

test('a malformed message on an open SSE session is refused and the session stays usable', async ({ request }) => {
  const room = await createTestRoom();
  const creds = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
  const controller = new AbortController();
  const response = await fetch(sseUrl(creds), { signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const { value } = await reader.read();
  const endpoint = /data: (\S+)/.exec(new TextDecoder().decode(value))![1]!;
  expect(endpoint).toMatch(/^\/sse\/message\?sessionId=/);
  const bad = await request.post(`${baseUrl()}${endpoint}`, { data: { hello: 'world' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe(-32600);
  const good = await request.post(`${baseUrl()}${endpoint}`, { data: initialize });
  expect(good.status()).toBe(202);
  controller.abort();
});
