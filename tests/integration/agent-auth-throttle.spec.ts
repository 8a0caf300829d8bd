// Guessing agent credentials is slowed down per client address: past the allowed failures, every
// authentication from that address gets 429 with Retry-After — a valid token too, so the limit
// tells nothing about which tokens are valid — while agents at other addresses carry on.
//
// The limit is made small on an instance of its own (the shared test app counts every test's
// failures under 127.0.0.1). Attackers here choose their address with X-Forwarded-For, as a
// client does when no proxy sets it (AEGIS_TRUSTED_PROXY_COUNT=0 reads the rightmost entry).
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { disposeInstance, startInstance, type AppInstance } from '../fixtures/app-instance';
import { callOk, connectAgent, sseUrl, type AgentCredentials } from '../fixtures/agents';
import { createTestRoom, type TestRoom } from '../fixtures/rooms';

const MAX_FAILURES = 5;
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'guesser', version: '0' } },
};

// One instance for the file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' });

let instance: AppInstance;
let room: TestRoom;
let owner: AgentCredentials;

test.beforeAll(async () => {
  instance = await startInstance({
    env: { AEGIS_AGENT_AUTH_MAX_FAILURES_PER_CLIENT: String(MAX_FAILURES), AEGIS_AGENT_AUTH_WINDOW_SECONDS: '600' },
  });
  room = await createTestRoom();
  owner = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
});

test.afterAll(async () => {
  if (instance) await disposeInstance(instance);
});

const attackerAddress = () => `203.0.113.${1 + (randomBytes(1)[0]! % 250)}`;
const guessedToken = () => `aegis_${randomBytes(32).toString('base64url')}`;

function initializeWith(token: string, address: string) {
  return fetch(new URL('/mcp', instance.url), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'X-Forwarded-For': address,
    },
    body: JSON.stringify(initialize),
  });
}

test('a client that guesses tokens is refused with 429, even with a valid one; other agents carry on', async () => {
  const attacker = attackerAddress();
  for (let attempt = 0; attempt < MAX_FAILURES; attempt += 1) {
    expect((await initializeWith(guessedToken(), attacker)).status).toBe(401);
  }

  const throttled = await initializeWith(guessedToken(), attacker);
  expect(throttled.status).toBe(429);
  expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await throttled.json()).toMatchObject({ error: 'rate_limited' });

  // The room's real token from the same address is refused alike, over both transports.
  expect((await initializeWith(room.token, attacker)).status).toBe(429);
  const sse = await fetch(sseUrl(owner, instance.url), { headers: { 'X-Forwarded-For': attacker } });
  expect(sse.status).toBe(429);
  await sse.body?.cancel();

  // An agent at another address is unaffected, over both transports.
  for (const transport of ['streamable-http', 'sse'] as const) {
    const agent = await connectAgent(transport, owner, 'honest-agent', instance.url);
    expect(JSON.stringify(await callOk(agent, 'list_branches', {}))).toContain('"main"');
    await agent.close();
  }
});

test('guessing SSE message keys counts as failed authentication too', async () => {
  const attacker = attackerAddress();
  const postMessage = (sessionId: string, key: string) =>
    fetch(new URL(`/sse/message?sessionId=${sessionId}&key=${key}`, instance.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': attacker },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
  for (let attempt = 0; attempt < MAX_FAILURES; attempt += 1) {
    expect((await postMessage(randomBytes(16).toString('hex'), randomBytes(16).toString('hex'))).status).toBe(404);
  }
  const throttled = await postMessage(randomBytes(16).toString('hex'), randomBytes(16).toString('hex'));
  expect(throttled.status).toBe(429);
  expect(await throttled.json()).toMatchObject({ error: 'rate_limited' });
});

test('calls that authenticate never count, however many', async () => {
  const address = attackerAddress();
  for (let call = 0; call < MAX_FAILURES * 3; call += 1) {
    const response = await initializeWith(room.token, address);
    expect(response.status).toBe(200);
    await response.body?.cancel();
  }
});
