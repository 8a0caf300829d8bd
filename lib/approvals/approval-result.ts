// What an agent is told about its held call: the executed result, the failure, denial,
// expiry or cancellation with its reason, or — not final yet — a pending (or executing) result
// with the approval id for wait_for_approval. Read from the database, so it holds after a restart.
import { db } from '../db';
import type { ApprovalRecord } from './approval-record';

export type ApprovalReply = { isError: boolean; data: unknown };

export async function approvalReply(approval: ApprovalRecord): Promise<ApprovalReply> {
  switch (approval.status) {
    case 'executed':
      return { isError: false, data: approval.result };
    case 'failed':
      return { isError: true, data: `The approved action failed: ${approval.error ?? 'unknown error'}` };
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
        },
      };
    case 'denied': {
      const denial = await db.approvalReview.findFirst({
        where: { approvalId: approval.id, decision: 'deny' },
        select: { comment: true, reviewerId: true },
      });
      const reviewer = denial
        ? await db.user.findUnique({ where: { id: denial.reviewerId }, select: { name: true } })
        : null;
      const comment = denial?.comment ? `: "${denial.comment}"` : '';
      return {
        isError: true,
        data: `Denied by ${reviewer?.name ?? 'a reviewer'}${comment}. The action was not executed.`,
      };
    }
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
