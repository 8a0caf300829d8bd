// Merging a change request from the dashboard. The dashboard is a client like any other: the click
// becomes a `merge_pull_request` call by the clicking member, with their role in the room, decided
// by the room's policy through the same decision step as an agent's call and written to the same
// audit chain (a decision entry before anything runs, an outcome entry after).
//
// Two things only a person in front of a page needs on top of that:
// - the merge is pinned to the head commit the page showed (`headSha`): if the branch moved since,
//   it is refused, and the commit merged is exactly that one even if the branch moves meanwhile;
// - nobody merges a change request their own agent opened without another reviewer: when the
//   clicking member is its author, what the policy would allow becomes an approval that another
//   ADMIN or OWNER decides (nobody approves their own request).
import { createApproval } from '../approvals/create-approval';
import { appendAuditEntry, type AuditEntryInput } from '../audit/append-audit-entry';
import { config } from '../config';
import { db } from '../db';
import { AppError, conflict, invalid, isAppError } from '../errors';
import { auditArguments } from '../gateway/audit-arguments';
import { decideCall, type GatewayDecision } from '../gateway/decide';
import { executeCall } from '../gateway/execute-call';
import { roomFacts } from '../gateway/room-facts';
import { findTool } from '../gateway/tools/registry';
import type { ToolContext } from '../gateway/tools/tool-types';
import { getRoomForUser } from '../rooms/get-room';
import { getChangeRequest } from './change-requests';

/** The client name dashboard merges carry in the audit log and the approvals inbox. */
export const DASHBOARD_CLIENT = 'dashboard';
const TOOL = 'merge_pull_request';
const COMMIT_ID = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

export interface MergeChangeRequestFromDashboardOptions {
  actorId: string;
  roomId: string;
  number: number;
  /** The head commit the page showed the member (a hidden field rendered with it). */
  headSha: string;
}

export type DashboardMergeResult =
  | { status: 'merged'; sha: string }
  | { status: 'pending_approval'; approvalId: string; ownChangeRequest: boolean; reason: string }
  | { status: 'blocked'; message: string };

export async function mergeChangeRequestFromDashboard(
  options: MergeChangeRequestFromDashboardOptions,
): Promise<DashboardMergeResult> {
  const { actorId, roomId, number } = options;
  const headSha = typeof options.headSha === 'string' ? options.headSha.trim().toLowerCase() : '';
  if (!COMMIT_ID.test(headSha)) {
    throw invalid('The merge did not say which commit you reviewed. Reload the page and try again.');
  }
  // Scoped to the member: a non-member learns nothing ("not found").
  const room = await getRoomForUser(actorId, roomId);
  const changeRequest = await getChangeRequest(roomId, number);
  const actor = await db.user.findUniqueOrThrow({ where: { id: actorId }, select: { name: true, email: true } });
  const tool = findTool(TOOL);
  if (!tool) throw new Error(`the ${TOOL} tool is not registered`);

  const context: ToolContext = {
    room: await roomFacts(roomId),
    userId: actorId,
    role: room.myRole,
    author: actor,
    sessionId: DASHBOARD_CLIENT,
    baseUrl: config().AEGIS_PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${process.env.PORT ?? 3000}`,
  };
  const args = { pullNumber: number, sha: headSha };
  const base = {
    roomId,
    userId: actorId,
    role: room.myRole,
    sessionId: null,
    clientName: DASHBOARD_CLIENT,
    tool: TOOL,
  } satisfies Partial<AuditEntryInput>;
  const auditedArgs = auditArguments(args) as Record<string, unknown>;
  const refuse = async (error: AppError): Promise<never> => {
    await appendAuditEntry({
      ...base,
      kind: 'decision',
      arguments: auditedArgs,
      decision: 'invalid',
      reason: error.message,
    });
    throw error;
  };

  if (changeRequest.state !== 'open') {
    await refuse(conflict(`Pull request #${number} is ${changeRequest.state}; only an open one can be merged.`));
  }

  let decision: GatewayDecision;
  try {
    // Refuses (conflict) if the head branch is no longer at the commit the member reviewed.
    decision = await decideCall(context, TOOL, args);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return refuse(error);
  }
  const ownChangeRequest = changeRequest.authorId === actorId;
  if (ownChangeRequest) decision = anotherReviewerRequired(decision);

  // Durable before anything runs: if it cannot be written, nothing is merged.
  const decisionEntry = await appendAuditEntry({
    ...base,
    kind: 'decision',
    arguments: auditedArgs,
    decision: decision.effect,
    ruleId: decision.ruleId,
    reason: decision.reason,
    blastRadius: decision.blastRadius,
    policyVersion: decision.policyVersion,
  });

  if (decision.effect === 'block') {
    return { status: 'blocked', message: decision.message ?? `Blocked by the room policy (${decision.ruleName}).` };
  }
  if (decision.effect === 'require_approval') {
    const approval = await createApproval({
      context,
      clientName: DASHBOARD_CLIENT,
      sessionId: null,
      tool: TOOL,
      args,
      decision,
      decisionEntryId: decisionEntry.id,
    });
    return { status: 'pending_approval', approvalId: approval.id, ownChangeRequest, reason: decision.reason };
  }
  if (decision.effect !== 'allow') {
    // Only pushes can be rewritten, and the policy blocks a rewrite of anything else: fail closed.
    throw new Error(`unexpected effect ${decision.effect} for a merge`);
  }

  const started = performance.now();
  const recordOutcome = (fields: Pick<AuditEntryInput, 'status' | 'result' | 'error' | 'commitSha' | 'branch'>) =>
    appendAuditEntry({
      ...base,
      kind: 'outcome',
      arguments: {},
      decision: decision.effect,
      callId: decisionEntry.id,
      durationMs: Math.round(performance.now() - started),
      pullRequest: number,
      ...fields,
    }).catch((error) => console.error('[aegis] could not record the outcome of a dashboard merge', error));
  try {
    const outcome = await executeCall(context, tool, args, 'allow');
    await recordOutcome({
      status: 'ok',
      result: outcome.summary,
      commitSha: outcome.commitSha,
      branch: outcome.branch,
    });
    return { status: 'merged', sha: outcome.commitSha! };
  } catch (error) {
    await recordOutcome({
      status: 'error',
      error: isAppError(error) ? error.message : 'Aegis hit an internal error; nothing further was done.',
    });
    throw error;
  }
}

/**
 * The clicking member opened this change request (through their agent): whatever the policy would
 * let through goes to another reviewer. A block stays a block, and an approval the policy already
 * asks for can never be given by the requester.
 */
function anotherReviewerRequired(decision: GatewayDecision): GatewayDecision {
  if (decision.effect !== 'allow' && decision.effect !== 'rewrite') return decision;
  return {
    ...decision,
    effect: 'require_approval',
    ruleId: null,
    ruleName: 'Own pull request',
    reason: `the merging member opened this pull request, so another reviewer must approve (the policy alone: ${decision.effect} by ${decision.reason})`,
    approvals: 1,
    message: undefined,
  };
}
