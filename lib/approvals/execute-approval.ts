// Executing an approved action, exactly once and by the server (the agent may be long gone).
// The claim (approved → executing) is a conditional update, so only one instance ever runs it.
// The action runs on the repository as it is now: if the branch moved since the review, the call
// is evaluated again instead of being applied blindly.
import { appendAuditEntry } from '../audit/append-audit-entry';
import { config } from '../config';
import { db } from '../db';
import { isAppError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { decideCall } from '../gateway/decide';
import { executeCall } from '../gateway/execute-call';
import { roomFacts } from '../gateway/room-facts';
import { findTool } from '../gateway/tools/registry';
import type { ToolContext } from '../gateway/tools/tool-types';
import { announceApproval } from './approval-events';
import { approvalSelect, type ApprovalRecord } from './create-approval';

export async function executeApproval(approvalId: string): Promise<ApprovalRecord> {
  const claimed = await db.approval.updateMany({
    where: { id: approvalId, status: 'approved' },
    data: { status: 'executing' },
  });
  const current = () => db.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
  if (claimed.count === 0) return current();
  const approval = await current();
  const started = performance.now();
  let outcome: {
    status: 'executed' | 'failed';
    result?: unknown;
    error?: string;
    summary?: string;
    commitSha?: string;
    branch?: string;
    pullRequest?: number;
  };
  try {
    outcome = await run(approval);
  } catch (error) {
    const message = isAppError(error)
      ? error.message
      : 'Aegis hit an internal error while executing the approved action';
    if (!isAppError(error)) console.error('[aegis] approved action failed', error);
    outcome = { status: 'failed', error: message };
  }
  const finished = await db.$transaction(async (tx) => {
    const updated = await tx.approval.update({
      where: { id: approvalId },
      data: {
        status: outcome.status,
        executedAt: new Date(),
        result: (outcome.result ?? undefined) as Prisma.InputJsonValue | undefined,
        error: outcome.error,
      },
      select: approvalSelect,
    });
    await announceApproval(updated, tx);
    return updated;
  });
  await recordApprovalOutcome(approval, {
    status: outcome.status === 'executed' ? 'ok' : 'error',
    result: outcome.summary ? `approved and executed: ${outcome.summary}` : undefined,
    error: outcome.error,
    durationMs: Math.round(performance.now() - started),
    commitSha: outcome.commitSha,
    branch: outcome.branch,
    pullRequest: outcome.pullRequest,
  });
  return finished;
}

/** The held call's outcome in the audit log, linked to the decision entry that held it. */
export async function recordApprovalOutcome(
  approval: ApprovalRecord,
  fields: {
    status: 'ok' | 'error';
    result?: string;
    error?: string;
    durationMs?: number;
    commitSha?: string;
    branch?: string;
    pullRequest?: number;
  },
) {
  await appendAuditEntry({
    roomId: approval.roomId,
    kind: 'outcome',
    userId: approval.requesterId,
    role: approval.requesterRole,
    sessionId: approval.sessionId,
    clientName: approval.clientName,
    tool: approval.tool,
    arguments: {},
    decision: 'require_approval',
    callId: approval.decisionEntryId,
    ...fields,
  }).catch((error) => console.error('[aegis] could not record the outcome of an approval', error));
}

async function run(approval: ApprovalRecord) {
  const tool = findTool(approval.tool);
  if (!tool) return { status: 'failed' as const, error: `Unknown tool ${approval.tool}` };
  const requester = await db.user.findUniqueOrThrow({
    where: { id: approval.requesterId },
    select: { name: true, email: true },
  });
  const context: ToolContext = {
    room: await roomFacts(approval.roomId),
    userId: approval.requesterId,
    role: approval.requesterRole,
    author: requester,
    sessionId: approval.sessionId ?? 'approval',
    baseUrl: config().AEGIS_PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${process.env.PORT ?? 3000}`,
  };
  const args = approval.arguments as Record<string, unknown>;
  const decision = await decideCall(context, approval.tool, args);
  let effect: 'allow' | 'rewrite' = 'allow';
  if (decision.gathered.baseSha !== approval.baseSha) {
    // The repository moved: what was reviewed is not what would happen now. Decide again.
    if (decision.effect === 'block' || decision.effect === 'require_approval') {
      return {
        status: 'failed' as const,
        error:
          `The repository changed since this action was reviewed, and the policy now says ${decision.effect}` +
          (decision.message ? `: ${decision.message}` : '') +
          '. Nothing was executed; the agent can try again.',
      };
    }
    effect = decision.effect;
  }
  // A push onto an existing branch only lands if the branch is still where the check just saw it.
  const pushOntoBranch =
    approval.tool === 'push_files' && !decision.gathered.facts.newBranch && decision.gathered.baseSha;
  const expectedHead = pushOntoBranch ? decision.gathered.baseSha! : undefined;
  const outcome = await executeCall({ ...context, expectedHead }, tool, args, effect);
  return {
    status: 'executed' as const,
    result: outcome.data,
    summary: outcome.summary,
    commitSha: outcome.commitSha,
    branch: outcome.branch,
    pullRequest: outcome.pullRequest,
  };
}
