// Two Aegis instances on one PostgreSQL behind a plain round-robin proxy (no affinity): every
// message of a session works whichever instance receives it, over both transports; an approval
// clicked on another instance than the agent's session reaches the waiting agent; and when one
// instance is killed (SIGKILL) mid-run, its /mcp agents carry on through the other, the approved
// action lands exactly once and the audit chain verifies.
//
// Agents are the official MCP SDK client; the reviewer uses the browser; the proxy is
// tests/fixtures/round-robin-proxy.ts, started here.
import { expect, test, type Page } from '@playwright/test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db } from '@/lib/db';
import { callOk, connectAgent, resultText, type AgentCredentials, type TransportName } from '../fixtures/agents';
import { disposeInstance, killInstance, startInstance, type AppInstance } from '../fixtures/app-instance';
import { git } from '../fixtures/git';
import { addTestMember, createTestRoom, type TestRoom } from '../fixtures/rooms';
import { startRoundRobinProxy, type RoundRobinProxy } from '../fixtures/round-robin-proxy';
import { signInViaApi } from '../fixtures/users';

// One pair of instances for the whole file, so the tests run one after another.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

// Short heartbeats, lease and sweep, so a killed instance's work is taken over within seconds.
const INSTANCE_ENV = {
  AEGIS_SESSION_HEARTBEAT_SECONDS: '1',
  AEGIS_APPROVAL_LEASE_SECONDS: '3',
  AEGIS_APPROVAL_SWEEP_SECONDS: '1',
  AEGIS_APPROVAL_WAIT_SECONDS: '30',
};

let instances: AppInstance[] = [];
let proxy: RoundRobinProxy;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  instances = await Promise.all([startInstance({ env: INSTANCE_ENV }), startInstance({ env: INSTANCE_ENV })]);
  proxy = await startRoundRobinProxy(instances.map((i) => i.url));
});

test.afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((instance) => disposeInstance(instance)));
});

const owner = (room: TestRoom): AgentCredentials => ({
  userId: room.owner.id,
  roomId: room.id,
  token: room.token,
  role: 'OWNER',
});

/** The upstreams that served the proxy's requests since `from` with this method and path. */
function upstreamsServing(from: number, method: string, path: string): Set<string> {
  return new Set(
    proxy.log
      .slice(from)
      .filter((r) => r.method === method && r.path === path)
      .map((r) => r.upstream),
  );
}

const workflowPush = {
  branch: 'aegis/ci',
  message: 'Run the tests on pull requests',
  files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\njobs: {}\n' }],
};

function landedCommits(origin: string, branch: string): string[] {
  if (!git(origin, 'for-each-ref', `refs/heads/${branch}`)) return [];
  const out = git(origin, 'log', '--format=%H', `main..refs/heads/${branch}`);
  return out ? out.split('\n') : [];
}

async function approveInBrowser(page: Page, room: TestRoom, instance: AppInstance, approvalId: string) {
  await signInViaApi(page.request, room.owner);
  await page.goto(`${instance.url}/approvals/${approvalId}`);
  await expect(page.getByRole('region', { name: 'Diff' })).toContainText('+on: pull_request');
  const approve = page.getByRole('button', { name: 'Approve' });
  await expect(approve).toBeEnabled();
  const clickedAt = Date.now();
  await approve.click();
  return clickedAt;
}

const pendingApproval = async (roomId: string) =>
  (await db.approval.findFirst({ where: { roomId }, select: { id: true } }))?.id;

for (const transport of ['sse', 'streamable-http'] as TransportName[]) {
  test(`${transport}: a session's messages alternate between the instances and all work`, async () => {
    const room = await createTestRoom();
    const from = proxy.log.length;
    const agent = await connectAgent(transport, owner(room), 'roaming-agent', proxy.url);
    try {
      const { tools } = await agent.listTools();
      expect(tools.map((t) => t.name)).toContain('push_files');
      for (let i = 0; i < 3; i++) {
        expect(JSON.stringify(await callOk(agent, 'list_branches', {}))).toContain('"main"');
        const readme = await callOk<{ content: string }>(agent, 'get_file_contents', { path: 'README.md' });
        expect(readme.content).toBe('# Fixture\n');
      }
      await callOk(agent, 'create_branch', { branch: 'aegis/roam', from_branch: 'main' });
      // Larger than a NOTIFY payload: when it reaches the instance not holding an SSE stream, it is
      // relayed through a table row. Two pushes in a row, so one of them lands on each instance.
      const big = 'x'.repeat(20_000);
      const first = await callOk<{ commit: { sha: string } }>(agent, 'push_files', {
        branch: 'aegis/roam',
        message: 'First',
        files: [{ path: 'big-1.txt', content: big }],
      });
      const second = await callOk<{ commit: { sha: string } }>(agent, 'push_files', {
        branch: 'aegis/roam',
        message: 'Second',
        files: [{ path: 'big-2.txt', content: big }],
      });
      expect(landedCommits(room.origin, 'aegis/roam')).toEqual([second.commit.sha, first.commit.sha]);

      // Both instances received the session's messages.
      const messagePath = transport === 'sse' ? '/sse/message' : '/mcp';
      expect(upstreamsServing(from, 'POST', messagePath)).toEqual(new Set(instances.map((i) => i.url)));
      // One session, recorded with its client, whichever instance served it.
      const sessions = await db.agentSession.findMany({ where: { roomId: room.id } });
      expect(sessions).toEqual([expect.objectContaining({ transport, clientName: 'roaming-agent', endedAt: null })]);
      expect(await db.relayedMessage.count({ where: { sessionId: sessions[0]!.id } })).toBe(0);
    } finally {
      await agent.close();
    }
  });

  test(`${transport}: an approval clicked on the other instance reaches the agent waiting on the first`, async ({
    page,
  }) => {
    const [agentsInstance, reviewersInstance] = instances as [AppInstance, AppInstance];
    const room = await createTestRoom();
    const developer = await addTestMember(room, 'DEVELOPER');
    const agent = await connectAgent(
      transport,
      { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' },
      'waiting-agent',
      agentsInstance.url,
    );
    try {
      const held = agent.callTool({ name: 'push_files', arguments: workflowPush }, undefined, { timeout: 90_000 });
      await expect.poll(() => pendingApproval(room.id)).toBeTruthy();
      const approvalId = (await pendingApproval(room.id))!;

      const clickedAt = await approveInBrowser(page, room, reviewersInstance, approvalId);
      const result = await held;
      const elapsed = Date.now() - clickedAt;
      test.info().annotations.push({ type: 'click → result, other instance', description: `${elapsed} ms` });
      expect(result.isError, resultText(result)).toBeFalsy();
      const pushed = JSON.parse(resultText(result)) as { commit: { sha: string } };
      expect(landedCommits(room.origin, 'aegis/ci')).toEqual([pushed.commit.sha]);
    } finally {
      await agent.close();
    }
  });
}

test('one instance killed mid-run: /mcp agents carry on, the approved action lands once, the audit chain verifies', async ({
  page,
}) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const developerCreds = { userId: developer.id, roomId: room.id, token: developer.token, role: 'DEVELOPER' };
  const from = proxy.log.length;
  const mcpAgent = await connectAgent('streamable-http', developerCreds, 'survivor', proxy.url);
  const sseAgent = await connectAgent('sse', owner(room), 'sse-agent', proxy.url);
  const agents: Client[] = [mcpAgent, sseAgent];
  try {
    await callOk(mcpAgent, 'list_branches', {});
    await callOk(sseAgent, 'list_branches', {});
    // The instance holding the SSE stream is the one killed; the other survives.
    const holder = proxy.log.slice(from).find((r) => r.method === 'GET' && r.path === '/sse')!.upstream;
    const victim = instances.find((i) => i.url === holder)!;
    const survivor = instances.find((i) => i !== victim)!;

    // A push held for approval; approved in the browser on the instance about to die, which is
    // killed as soon as the decision is recorded (execution may be under way there).
    const held = mcpAgent.callTool({ name: 'push_files', arguments: workflowPush }, undefined, { timeout: 90_000 });
    held.catch(() => {});
    await expect.poll(() => pendingApproval(room.id)).toBeTruthy();
    const approvalId = (await pendingApproval(room.id))!;
    await approveInBrowser(page, room, victim, approvalId);
    await expect
      .poll(async () => (await db.approval.findUniqueOrThrow({ where: { id: approvalId } })).status)
      .not.toBe('pending');
    await killInstance(victim);

    // The /mcp agent carries on through the survivor: same session, reads and writes.
    expect(JSON.stringify(await callOk(mcpAgent, 'list_branches', {}))).toContain('"main"');
    await callOk(mcpAgent, 'create_branch', { branch: 'aegis/after', from_branch: 'main' });
    await callOk(mcpAgent, 'push_files', {
      branch: 'aegis/after',
      message: 'After the crash',
      files: [{ path: 'after.txt', content: 'still here\n' }],
    });
    // It learns the approved push's outcome (a held call whose stream died with the instance is
    // asked again, as an agent does).
    let outcome = '';
    await expect
      .poll(
        async () => {
          const result = await mcpAgent.callTool(
            { name: 'wait_for_approval', arguments: { approval_id: approvalId, timeout_seconds: 20 } },
            undefined,
            { timeout: 60_000 },
          );
          outcome = resultText(result);
          return result.isError ? 'error' : String(JSON.parse(outcome).status ?? 'finished');
        },
        { timeout: 90_000, intervals: [200] },
      )
      .not.toMatch(/^(executing|approved|pending_approval)$/);
    const pushed = JSON.parse(outcome) as { commit: { sha: string } };
    expect(landedCommits(room.origin, 'aegis/ci')).toEqual([pushed.commit.sha]);
    expect(await db.approval.findUniqueOrThrow({ where: { id: approvalId } })).toMatchObject({ status: 'executed' });
    const sessions = await db.agentSession.findMany({ where: { roomId: room.id, transport: 'streamable-http' } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.endedAt).toBeNull();

    // The SSE stream died with its instance. The SDK's SSE client reconnects by itself (it is an
    // EventSource): the proxy sends it to the survivor, which opens a new session and announces
    // its endpoint; the client takes it, and its calls work again (until then they go to the dead
    // session and are not answered).
    await expect(async () => {
      const result = await sseAgent.callTool({ name: 'list_branches', arguments: {} }, undefined, { timeout: 3_000 });
      expect(resultText(result)).toContain('aegis/after');
    }).toPass({ timeout: 60_000 });
    // An agent that reconnects itself carries on in a new session too.
    const reconnected = await connectAgent('sse', owner(room), 'sse-agent-again', proxy.url);
    agents.push(reconnected);
    expect(JSON.stringify(await callOk(reconnected, 'list_branches', {}))).toContain('aegis/after');

    // Every call is in the audit log, whose chain verifies.
    const decisions = await db.auditEntry.count({ where: { roomId: room.id, kind: 'decision' } });
    expect(decisions).toBeGreaterThanOrEqual(7);
    const outcomes = await db.auditEntry.findMany({
      where: { roomId: room.id, kind: 'outcome', commitSha: pushed.commit.sha },
    });
    expect(outcomes).toHaveLength(1);
    await signInViaApi(page.request, room.owner);
    const verified = await page.request.get(`${survivor.url}/api/rooms/${room.id}/audit/verify`);
    expect(await verified.json()).toMatchObject({ intact: true });
  } finally {
    await Promise.all(agents.map((agent) => agent.close().catch(() => {})));
  }
});
