// Executing an approved action, by the server (the agent may be long gone), exactly once: under a
// lease (see approval-lease), only while the requester still holds the right to it (failing
// closed: cancelled otherwise), bound to what was reviewed and repeatable without landing twice
// (see gateway/approved-call). The outcome and its audit entry commit together. Whoever finds the
// action approved, or its lease expired (the reviewer's request, or any instance's sweep after a
// crash), runs it through here.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { forbidden, isAppError } from '../errors';
import { runApprovedCall, type ApprovedCallOutcome } from '../gateway/approved-call';
import { claimApproval, keepLease, MAX_ATTEMPTS, newLeaseOwner, recordExecutionPlan } from './approval-lease';
import { settleApproval } from './approval-outcome';
import { approvalSelect, type ApprovalRecord } from './approval-record';
import { cancelApproval } from './cancel-approvals';
import { lostStanding } from './requester-standing';
import { describeVerdicts, reviewVerdicts } from './review-verdicts';

export async function executeApproval(approvalId: string): Promise<ApprovalRecord> {
  const owner = newLeaseOwner();
  const claimed = await claimApproval(approvalId, owner);
  const settled = claimed ? await runClaimed(claimed, owner) : null;
  return settled ?? db.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
}

async function runClaimed(approval: ApprovalRecord, owner: string): Promise<ApprovalRecord | null> {
  const stopRenewing = keepLease(approval.id, owner);
  const started = performance.now();
  let cancelled: string | null = null;
  let outcome: ApprovedCallOutcome | undefined;
  try {
    cancelled = await lostStanding(approval);
    if (!cancelled) {
      outcome = await runApprovedCall(approval, {
        mayAct: approval.attempts <= MAX_ATTEMPTS,
        // Right before acting: the requester must still hold the right, and this attempt the lease.
        recordPlan: async (plan) => {
          cancelled = await lostStanding(approval);
          if (cancelled) throw forbidden(cancelled);
          await recordExecutionPlan(approval.id, owner, plan);
        },
      });
    }
  } catch (error) {
    outcome = { status: 'failed', error: failureMessage(error) };
  } finally {
    stopRenewing();
  }
  if (cancelled) return cancelApproval(approval.id, cancelled, { leaseOwner: owner });
  if (!outcome) throw new Error('unreachable: an approved action ended without an outcome');

  const durationMs = Math.round(performance.now() - started);
  const retried = approval.attempts > 1 ? ` (attempt ${approval.attempts}, after an interrupted one)` : '';
  if (outcome.status === 'failed') {
    return settleApproval(approval.id, {
      from: ['executing'],
      leaseOwner: owner,
      to: 'failed',
      error: outcome.error,
      audit: { status: 'error', error: `${outcome.error}${retried}`, durationMs },
    });
  }
  const { data, summary, commitSha, branch, pullRequest } = outcome.outcome;
  const approvedBy = describeVerdicts('approved', await reviewVerdicts(approval.id));
  return settleApproval(approval.id, {
    from: ['executing'],
    leaseOwner: owner,
    to: 'executed',
    result: data,
    audit: {
      status: 'ok',
      result: `${approvedBy}; executed: ${summary}${retried}`,
      durationMs,
      commitSha,
      branch,
      pullRequest,
    },
  });
}

function failureMessage(error: unknown): string {
  if (isAppError(error)) return error.message;
  const requestId = randomUUID();
  console.error(`[aegis] approved action failed (request ${requestId})`, error);
  return `Aegis hit an internal error while executing the approved action (request ${requestId})`;
}
