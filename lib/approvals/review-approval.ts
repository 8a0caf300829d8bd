// A reviewer's decision on a pending approval. Reviewers are the room's ADMINs and OWNERs; nobody
// approves their own request; N required approvals need N distinct reviewers; one denial denies.
// An approval whose requester lost the right to it (removed, demoted, room archived) is cancelled
// instead. Once approved, the action is executed right away, by the server.
import { db } from '../db';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { Prisma } from '../generated/prisma/client';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { announceApproval } from './approval-events';
import { settleInTransaction } from './approval-outcome';
import { approvalSelect, type ApprovalRecord } from './approval-record';
import { cancelApprovalInTransaction } from './cancel-approvals';
import { executeApproval } from './execute-approval';
import { expireApproval } from './expire-approvals';
import { lostStanding } from './requester-standing';
import { describeVerdicts, reviewVerdicts } from './review-verdicts';

type Review = { decision: 'approve' | 'deny'; comment?: string };

export async function reviewApproval(reviewerId: string, approvalId: string, input: Review): Promise<ApprovalRecord> {
  if (input.decision !== 'approve' && input.decision !== 'deny') throw invalid('decision must be approve or deny');
  const found = await db.approval.findUnique({
    where: { id: approvalId },
    select: { roomId: true, requesterId: true },
  });
  if (!found) throw notFound('Approval not found');
  const room = await getRoomForUser(reviewerId, found.roomId);
  assertCan(room.myRole, 'approval.review');
  if (found.requesterId === reviewerId) throw forbidden('You cannot review your own request');
  const comment = (input.comment ?? '').trim().slice(0, 2000);

  const decided = await db.$transaction(async (tx) => {
    // Locked, so concurrent reviews count each other.
    await tx.$executeRaw`SELECT 1 FROM "Approval" WHERE id = ${approvalId} FOR UPDATE`;
    const approval = await tx.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
    if (approval.status !== 'pending') throw conflict(alreadyMessage(approval));
    if (approval.expiresAt <= new Date()) return { kind: 'expired' as const };
    const lost = await lostStanding(approval, tx);
    if (lost) {
      const cancelled = await cancelApprovalInTransaction(tx, approvalId, lost);
      return { kind: 'cancelled' as const, approval: cancelled! };
    }
    try {
      await tx.approvalReview.create({ data: { approvalId, reviewerId, decision: input.decision, comment } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('You already reviewed this approval');
      }
      throw error;
    }
    const review = { reviewerId, decision: input.decision, comment };
    if (input.decision === 'deny') {
      const denied = await settleInTransaction(tx, approvalId, {
        from: ['pending'],
        to: 'denied',
        audit: {
          status: 'denied',
          result: `${describeVerdicts('denied', await reviewVerdicts(approvalId, tx))}; not executed`,
        },
        webhook: true,
        review,
      });
      return { kind: 'decided' as const, approval: denied! };
    }
    const approvals = await tx.approvalReview.count({ where: { approvalId, decision: 'approve' } });
    const status = approvals >= approval.requiredApprovals ? 'approved' : 'pending';
    const updated = await tx.approval.update({
      where: { id: approvalId },
      data: { status, ...(status === 'pending' ? {} : { decidedAt: new Date() }) },
      select: approvalSelect,
    });
    await announceApproval(updated, tx, { event: 'approval.decided', review });
    return { kind: 'decided' as const, approval: updated };
  });

  if (decided.kind === 'expired') {
    await expireApproval(approvalId);
    throw conflict('This approval has expired; the action was not executed');
  }
  if (decided.kind === 'cancelled') throw conflict(`This approval was cancelled: ${decided.approval.error}`);
  return decided.approval.status === 'approved' ? executeApproval(approvalId) : decided.approval;
}

function alreadyMessage(approval: ApprovalRecord): string {
  if (approval.status === 'cancelled') return `This approval was cancelled: ${approval.error}`;
  return `This approval is already ${approval.status}`;
}
