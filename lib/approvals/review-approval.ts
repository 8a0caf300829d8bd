// A reviewer's decision on a pending approval. Reviewers are the room's ADMINs and OWNERs; nobody
// approves their own request; N required approvals need N distinct reviewers; one denial denies.
// Once approved, the action is executed right away, by the server.
import { db } from '../db';
import { conflict, forbidden, invalid, notFound } from '../errors';
import { Prisma } from '../generated/prisma/client';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { announceApproval } from './approval-events';
import { approvalSelect, type ApprovalRecord } from './create-approval';
import { executeApproval, recordApprovalOutcome } from './execute-approval';
import { expireApproval } from './expire-approvals';

export async function reviewApproval(
  reviewerId: string,
  approvalId: string,
  input: { decision: 'approve' | 'deny'; comment?: string },
): Promise<ApprovalRecord> {
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
    if (approval.status !== 'pending') throw conflict(`This approval is already ${approval.status}`);
    if (approval.expiresAt <= new Date()) return null;
    try {
      await tx.approvalReview.create({ data: { approvalId, reviewerId, decision: input.decision, comment } });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('You already reviewed this approval');
      }
      throw error;
    }
    const approvals = await tx.approvalReview.count({ where: { approvalId, decision: 'approve' } });
    const status =
      input.decision === 'deny' ? 'denied' : approvals >= approval.requiredApprovals ? 'approved' : 'pending';
    const updated = await tx.approval.update({
      where: { id: approvalId },
      data: { status, ...(status === 'pending' ? {} : { decidedAt: new Date() }) },
      select: approvalSelect,
    });
    await announceApproval(updated, tx, {
      event: 'approval.decided',
      review: { reviewerId, decision: input.decision, comment },
    });
    return updated;
  });

  if (!decided) {
    await expireApproval(approvalId);
    throw conflict('This approval has expired; the action was not executed');
  }
  if (decided.status === 'denied') {
    await recordApprovalOutcome(decided, { status: 'error', error: `denied${comment ? `: ${comment}` : ''}` });
  }
  return decided.status === 'approved' ? executeApproval(approvalId) : decided;
}
