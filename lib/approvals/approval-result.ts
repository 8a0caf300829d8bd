// What an agent is told about its held call: the executed result, the failure, denial,
// expiry or cancellation with its reason, or — not final yet — a pending (or executing) result
// with the approval id for wait_for_approval. A decided call also says who decided it and with
// what comment (the review form promises the reviewer that the agent sees it). Read from the
// database, so it holds after a restart.
import type { ApprovalRecord } from './approval-record';
import { describeVerdicts, reviewVerdicts, type ReviewVerdict } from './review-verdicts';

export type ApprovalReply = { isError: boolean; data: unknown };

/** The review part of an approved call's result: the existing result keeps its fields and gains `approval`. */
function approvalInfo(approval: ApprovalRecord, verdicts: ReviewVerdict[]) {
  const approvals = verdicts.filter((v) => v.decision === 'approved');
  return {
    id: approval.id,
    decision: 'approved' as const,
    message: `${describeVerdicts('approved', verdicts)}.`,
    reviews: approvals,
  };
}

function withApproval(result: unknown, approval: ReturnType<typeof approvalInfo>): unknown {
  if (result && typeof result === 'object' && !Array.isArray(result)) return { ...result, approval };
  return { result, approval };
}

export async function approvalReply(approval: ApprovalRecord): Promise<ApprovalReply> {
  switch (approval.status) {
    case 'executed':
      return {
        isError: false,
        data: withApproval(approval.result, approvalInfo(approval, await reviewVerdicts(approval.id))),
      };
    case 'failed':
      return {
        isError: true,
        data: `${describeVerdicts('approved', await reviewVerdicts(approval.id))}, but the approved action failed: ${approval.error ?? 'unknown error'}`,
      };
    case 'expired':
      return {
        isError: true,
        data: `Approval ${approval.id} expired before anyone decided; the action was not executed.`,
      };
    case 'cancelled':
      return {
        isError: true,
        data: `Approval ${approval.id} was cancelled, and the action was not executed: ${approval.error ?? 'the requester lost the right to it.'}`,
      };
    case 'approved':
    case 'executing':
      return {
        isError: false,
        data: {
          status: 'executing',
          approval_id: approval.id,
          message: `This ${approval.tool} call was approved and Aegis is executing it. Call wait_for_approval with approval_id "${approval.id}" for the result.`,
          approval: approvalInfo(approval, await reviewVerdicts(approval.id)),
        },
      };
    case 'denied':
      return {
        isError: true,
        data: `${describeVerdicts('denied', await reviewVerdicts(approval.id))}. The action was not executed.`,
      };
    default:
      return {
        isError: false,
        data: {
          status: 'pending_approval',
          approval_id: approval.id,
          rule: approval.ruleName,
          expires_at: approval.expiresAt.toISOString(),
          message: `This ${approval.tool} call needs approval from a reviewer (rule "${approval.ruleName}"). Call wait_for_approval with approval_id "${approval.id}" to wait for the outcome.`,
        },
      };
  }
}
