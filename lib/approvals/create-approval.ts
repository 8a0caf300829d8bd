// A call the policy routes to human review becomes a pending approval, bound to the exact action
// (see approval-digest) and keeping the diff its reviewers read (see reviewed-diff), expiring after
// the room's approval lifetime.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { GatewayDecision } from '../gateway/decide';
import type { ToolContext } from '../gateway/tools/tool-types';
import { approvalDigest } from './approval-digest';
import { announceApproval } from './approval-events';
import { approvalSelect, type ApprovalRecord } from './approval-record';
import { reviewedDiffOf } from './reviewed-diff';

export async function createApproval(input: {
  context: ToolContext;
  clientName?: string;
  /** The agent session that asked; null for a request made in the dashboard. Default: the context's. */
  sessionId?: string | null;
  tool: string;
  args: Record<string, unknown>;
  decision: GatewayDecision;
  decisionEntryId: string;
}): Promise<ApprovalRecord> {
  const { context, decision } = input;
  const room = await db.room.findUniqueOrThrow({
    where: { id: context.room.id },
    select: { approvalExpirySeconds: true },
  });
  return db.$transaction(async (tx) => {
    const approval = await tx.approval.create({
      data: {
        roomId: context.room.id,
        requesterId: context.userId,
        requesterRole: context.role,
        sessionId: input.sessionId === undefined ? context.sessionId : input.sessionId,
        clientName: input.clientName,
        tool: input.tool,
        arguments: input.args as Prisma.InputJsonValue,
        digest: approvalDigest(input.tool, input.args, decision.gathered.baseSha),
        baseSha: decision.gathered.baseSha,
        reviewedDiff: reviewedDiffOf(decision.gathered),
        ruleId: decision.ruleId,
        ruleName: decision.ruleName,
        reason: decision.reason,
        blastRadius: decision.blastRadius,
        policyVersion: decision.policyVersion,
        requiredApprovals: decision.approvals ?? 1,
        decisionEntryId: input.decisionEntryId,
        expiresAt: new Date(Date.now() + room.approvalExpirySeconds * 1000),
      },
      select: approvalSelect,
    });
    await announceApproval(approval, tx, { event: 'approval.created' });
    return approval;
  });
}
