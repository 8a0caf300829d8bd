// A Streamable HTTP client may go away without a DELETE. Its session must not live (and hold
// memory) forever: once it has sent no request and held no stream open for the idle time, it is
// ended, its room no longer lists it, and a late request is told why. A client that listens on its
// stream, as the official SDK client does, stays connected however long it sends nothing.
//
// On an instance of its own with a short idle time (the shared test app keeps the default).
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { disposeInstance, startInstance, type AppInstance } from '../fixtures/app-instance';
import { callOk, connectAgent, mcpHeaders, type AgentCredentials } from '../fixtures/agents';
import { createTestRoom } from '../fixtures/rooms';

let instance: AppInstance;

test.beforeAll(async () => {
  // Idle time 2 s, raised to the floor of the approval wait (0 here) plus 5 s.
  instance = await startInstance({
    env: {
      AEGIS_MCP_SESSION_IDLE_SECONDS: '2',
      AEGIS_APPROVAL_WAIT_SECONDS: '0',
      AEGIS_SESSION_HEARTBEAT_SECONDS: '1',
    },
  });
});

test.afterAll(async () => {
  if (instance) await disposeInstance(instance);
});

const sessionRow = (id: string) =>
  db.agentSession.findUniqueOrThrow({ where: { id }, select: { endedAt: true, endReason: true } });

test('an abandoned Streamable HTTP session is reaped; a listening SDK client is not', async () => {
  test.setTimeout(90_000);
  const room = await createTestRoom();
  const owner: AgentCredentials = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };

  // The SDK client opens its GET stream after initialising and then sends nothing.
  const listening = await connectAgent('streamable-http', owner, 'listening-agent', instance.url);
  const listeningId = (await db.agentSession.findFirstOrThrow({ where: { roomId: room.id }, select: { id: true } })).id;

  // A client that initialises and goes away: no stream, no DELETE.
  const headers = {
    ...mcpHeaders(owner),
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
  };
  const initialized = await fetch(new URL('/mcp', instance.url), {
    method: 'POST',
    headers,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'gone-agent', version: '0' } },
    }),
  });
  expect(initialized.status).toBe(200);
  await initialized.body?.cancel();
  const abandonedId = initialized.headers.get('mcp-session-id')!;

  await expect
    .poll(async () => (await sessionRow(abandonedId)).endedAt, { timeout: 60_000, intervals: [500] })
    .not.toBeNull();
  expect((await sessionRow(abandonedId)).endReason).toMatch(/^idle/);
  expect((await sessionRow(listeningId)).endedAt).toBeNull();

  const late = await fetch(new URL('/mcp', instance.url), {
    method: 'POST',
    headers: { ...headers, 'Mcp-Session-Id': abandonedId, 'MCP-Protocol-Version': '2025-06-18' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  });
  expect(late.status).toBe(404);
  expect(await late.json()).toMatchObject({ error: 'session_ended', message: expect.stringContaining('idle') });

  // The listener's session still answers, as the same session.
  expect(JSON.stringify(await callOk(listening, 'list_branches', {}))).toContain('"main"');
  expect((await sessionRow(listeningId)).endedAt).toBeNull();
  await listening.close();
});
