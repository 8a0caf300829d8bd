// The policy simulator and the live gateway decide alike: the same calls go to both, and the
// simulator's decision is compared with the decision the gateway wrote to the audit log.
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { simulateCall } from '@/lib/policies/simulate-call';
import { reviewApproval } from '@/lib/approvals/review-approval';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { connectAgent } from '../fixtures/agents';

const KEY = [
  '-----BEGIN ',
  'OPENSSH PRIVATE KEY-----\n',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n',
  '-----END ',
  'OPENSSH PRIVATE KEY-----\n',
].join('');

const CALLS = [
  { tool: 'list_branches', args: {}, sim: {} },
  {
    tool: 'push_files',
    args: { branch: 'main', message: 'x', files: [{ path: 'src/app.ts', content: 'export const answer = 1;\n' }] },
  },
  { tool: 'push_files', args: { branch: 'aegis/key', message: 'x', files: [{ path: 'keys/id', content: KEY }] } },
  {
    tool: 'push_files',
    args: { branch: 'aegis/ci', message: 'x', files: [{ path: '.github/workflows/ci.yml', content: 'on: push\n' }] },
  },
  {
    tool: 'push_files',
    args: { branch: 'aegis/docs', message: 'x', files: [{ path: 'docs/a.md', content: '# A\n' }] },
  },
  { tool: 'create_branch', args: { branch: 'feature/x' } },
  { tool: 'create_branch', args: { branch: 'aegis/feature-x' } },
  { tool: 'delete_branch', args: { branch: 'main' } },
] as const;

test('for the same calls, the simulator and the gateway reach the same decision by the same rule', async () => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await connectAgent('streamable-http', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  try {
    for (const call of CALLS) {
      const args = call.args as Record<string, unknown>;
      const simulated = await simulateCall(room.owner.id, room.id, {
        role: 'DEVELOPER',
        tool: call.tool,
        branch: args.branch as string | undefined,
        files: (args.files as { path: string; content: string }[] | undefined) ?? [],
      });

      const before = await db.auditEntry.count({ where: { roomId: room.id, kind: 'decision' } });
      const pending = agent.callTool({ name: call.tool, arguments: args });
      await expect.poll(() => db.auditEntry.count({ where: { roomId: room.id, kind: 'decision' } })).toBe(before + 1);
      const live = await db.auditEntry.findFirstOrThrow({
        where: { roomId: room.id, kind: 'decision' },
        orderBy: { seq: 'desc' },
      });
      if (live.decision === 'require_approval') {
        // The approval row follows its decision entry: wait for it rather than assume it is there.
        const approval = () => db.approval.findFirst({ where: { decisionEntryId: live.id }, select: { id: true } });
        await expect.poll(approval).not.toBeNull();
        await reviewApproval(room.owner.id, (await approval())!.id, { decision: 'deny' });
      }
      await pending;

      expect({ tool: call.tool, effect: live.decision, rule: live.ruleId }).toEqual({
        tool: call.tool,
        effect: simulated.decision.effect,
        rule: simulated.decision.ruleId,
      });
    }
  } finally {
    await agent.close();
  }
});
