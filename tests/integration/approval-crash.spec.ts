// An approved push always finishes, even when the server dies in the middle of it: a DEVELOPER's
// agent (MCP SDK client) files a push that needs approval, the OWNER approves it in the browser,
// and the instance running the push is killed with SIGKILL while `git push` is in flight. The
// instance is started again; it takes the action over once the dead one's lease expired, and the
// commit lands exactly once; a fresh agent session's wait_for_approval reports it.
//
// The kill lands mid-push deterministically with no product code: the origin repository's
// pre-receive hook holds every push until the test releases it, and says when one is waiting.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { git } from '../fixtures/git';
import { mcpHeaders, resultText, type AgentCredentials } from '../fixtures/agents';
import {
  disposeInstance,
  killInstance,
  killServerOnly,
  startInstance,
  type AppInstance,
} from '../fixtures/app-instance';
import { addTestMember, createTestRoom, type TestMember, type TestRoom } from '../fixtures/rooms';
import { signInViaApi } from '../fixtures/users';

test.describe.configure({ timeout: 180_000 });

/** A member's agent credentials: the member's own access token for the room. */
function memberCredentials(room: TestRoom, member: TestMember, role: string): AgentCredentials {
  return { userId: member.id, roomId: room.id, token: member.token, role };
}

/** The official MCP SDK client on an instance's Streamable HTTP endpoint. */
async function connectTo(instance: AppInstance, credentials: AgentCredentials): Promise<Client> {
  const client = new Client({ name: 'claude-code', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', instance.url), {
      requestInit: { headers: mcpHeaders(credentials) },
    }),
  );
  return client;
}

/** Holds every push to `origin` until release(); `waiting()` counts the pushes held so far. */
function holdPushes(origin: string) {
  const waitingFile = path.join(origin, 'pushes-waiting');
  const releaseFile = path.join(origin, 'pushes-released');
  writeFileSync(
    path.join(origin, 'hooks', 'pre-receive'),
    `#!/bin/sh
cat >/dev/null
if [ ! -e '${releaseFile}' ]; then
  echo waiting >> '${waitingFile}'
  while [ ! -e '${releaseFile}' ]; do sleep 0.05; done
fi
exit 0
`,
    { mode: 0o755 },
  );
  return {
    waiting: () => (existsSync(waitingFile) ? readFileSync(waitingFile, 'utf8').split('\n').filter(Boolean).length : 0),
    release: () => appendFileSync(releaseFile, ''),
  };
}

/** The commits on `branch` of the origin that main does not have. */
function landedCommits(origin: string, branch: string): string[] {
  if (!git(origin, 'for-each-ref', `refs/heads/${branch}`)) return [];
  const out = git(origin, 'log', '--format=%H', `main..refs/heads/${branch}`);
  return out ? out.split('\n') : [];
}

const workflowPush = {
  branch: 'aegis/ci',
  message: 'Run the tests on pull requests',
  files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\njobs: {}\n' }],
};

// Short lease and sweep so the restarted instance takes over within seconds; a short hold so the
// agent's first call answers "pending" with the approval id.
const INSTANCE_ENV = {
  AEGIS_APPROVAL_LEASE_SECONDS: '3',
  AEGIS_APPROVAL_SWEEP_SECONDS: '1',
  AEGIS_APPROVAL_WAIT_SECONDS: '1',
};

function waitForApproval(agent: Client, approvalId: string) {
  return agent.callTool(
    { name: 'wait_for_approval', arguments: { approval_id: approvalId, timeout_seconds: 60 } },
    undefined,
    { timeout: 90_000, resetTimeoutOnProgress: true },
  );
}

for (const kill of ['the whole instance', 'only the server process'] as const) {
  test(`kill -9 of ${kill} during an approved push: after a restart it lands exactly once and the agent learns it`, async ({
    page,
  }) => {
    const room = await createTestRoom();
    const developer = await addTestMember(room, 'DEVELOPER');
    const pushes = holdPushes(room.origin);
    let instance = await startInstance({ env: INSTANCE_ENV });
    try {
      // The agent's push touches CI, so it is held for approval.
      const agent = await connectTo(instance, memberCredentials(room, developer, 'DEVELOPER'));
      const held = JSON.parse(resultText(await agent.callTool({ name: 'push_files', arguments: workflowPush })));
      expect(held).toMatchObject({ status: 'pending_approval', approval_id: expect.any(String) });
      const approvalId: string = held.approval_id;

      // The OWNER approves in the browser, on that instance; the push starts and is held by the hook.
      await signInViaApi(page.request, room.owner);
      await page.goto(`${instance.url}/approvals/${approvalId}`);
      await expect(page.getByRole('region', { name: 'Diff' })).toContainText('+on: pull_request');
      await page.getByRole('button', { name: 'Approve' }).click();
      await expect.poll(pushes.waiting, { timeout: 30_000 }).toBe(1);
      const planned = await db.approval.findUniqueOrThrow({ where: { id: approvalId } });
      expect(planned).toMatchObject({ status: 'executing', attempts: 1 });
      expect(planned.executionPlan).toMatchObject({ kind: 'push', branch: 'aegis/ci' });
      const plannedCommit = (planned.executionPlan as { commitSha: string }).commitSha;

      if (kill === 'the whole instance') {
        // Everything dies, the git push with it: nothing landed.
        await killInstance(instance);
        await agent.close().catch(() => {});
        pushes.release();
        expect(landedCommits(room.origin, 'aegis/ci')).toEqual([]);
        instance = await startInstance({ port: instance.port, dataDir: instance.dataDir, env: INSTANCE_ENV });
      } else {
        // The orphaned git push is still waiting in the hook; the restarted instance's retry will
        // wait beside it; then both are let go at once. Git lets exactly one of them through.
        await killServerOnly(instance);
        await agent.close().catch(() => {});
        instance = await startInstance({ port: instance.port, dataDir: instance.dataDir, env: INSTANCE_ENV });
        await expect.poll(pushes.waiting, { timeout: 30_000 }).toBe(2);
        pushes.release();
      }

      // A fresh agent session asks for the outcome, as an agent does: again while it is still
      // executing (each wait is capped at AEGIS_APPROVAL_WAIT_SECONDS, shorter than the takeover).
      const again = await connectTo(instance, memberCredentials(room, developer, 'DEVELOPER'));
      let outcome!: Awaited<ReturnType<typeof waitForApproval>>;
      await expect
        .poll(
          async () => {
            outcome = await waitForApproval(again, approvalId);
            if (outcome.isError) return 'error';
            // The executed push's own result has no status; held ones say executing or pending.
            return String(JSON.parse(resultText(outcome)).status ?? 'finished');
          },
          { timeout: 90_000, intervals: [100] },
        )
        .not.toMatch(/^(executing|pending_approval)$/);
      expect(outcome.isError, resultText(outcome)).toBeFalsy();
      const pushed = JSON.parse(resultText(outcome));
      expect(pushed.commit?.sha, resultText(outcome)).toBe(plannedCommit);
      await again.close();

      // Exactly once, on the origin: one commit, the planned one, with the reviewed content.
      expect(landedCommits(room.origin, 'aegis/ci')).toEqual([plannedCommit]);
      expect(git(room.origin, 'show', `${plannedCommit}:.github/workflows/ci.yml`)).toBe('on: pull_request\njobs: {}');
      const final = await db.approval.findUniqueOrThrow({ where: { id: approvalId } });
      expect(final).toMatchObject({ status: 'executed', leaseOwner: null });
      // Taken over at least once (more on a loaded machine, if a held push outlived a lease).
      expect(final.attempts).toBeGreaterThanOrEqual(2);

      // One outcome in the audit log, and the chain verifies.
      const outcomes = await db.auditEntry.findMany({
        where: { roomId: room.id, kind: 'outcome', callId: planned.decisionEntryId },
      });
      expect(outcomes).toEqual([expect.objectContaining({ status: 'ok', commitSha: plannedCommit })]);
      const verified = await page.request.get(`${instance.url}/api/rooms/${room.id}/audit/verify`);
      expect(await verified.json()).toMatchObject({ intact: true });
    } finally {
      pushes.release();
      await disposeInstance(instance);
    }
  });
}
