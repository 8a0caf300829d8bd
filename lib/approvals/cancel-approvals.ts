// Cancelling approvals whose requester lost the right to have them run (removed from the room,
// demoted below the role the call was made with, room archived): at once when the room's members
// change, and in every sweep in case that event was missed. Cancelled approvals never run; the
// cancellation and its reason are in the audit log.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { settleApproval, settleInTransaction } from './approval-outcome';
import { NOT_YET_RUN, type ApprovalRecord } from './approval-record';
import { standingProblem } from './requester-standing';

function cancellation(reason: string, from: string[], leaseOwner?: string) {
  return {
    from,
    leaseOwner,
    to: 'cancelled' as const,
    error: reason,
    audit: { status: 'cancelled' as const, result: `cancelled: ${reason}` },
    webhook: true,
  };
}

/** Cancels an approval that has not run yet (or, with its lease, one about to run). */
export function cancelApproval(
  approvalId: string,
  reason: string,
  options: { leaseOwner?: string } = {},
): Promise<ApprovalRecord | null> {
  const from = options.leaseOwner ? ['executing'] : NOT_YET_RUN;
  return settleApproval(approvalId, cancellation(reason, from, options.leaseOwner));
}

export function cancelApprovalInTransaction(tx: Prisma.TransactionClient, approvalId: string, reason: string) {
  return settleInTransaction(tx, approvalId, cancellation(reason, NOT_YET_RUN));
}

/** Cancels every not-yet-run approval (of one room, or all) whose requester lost standing. */
export async function cancelIneligibleApprovals(roomId?: string): Promise<number> {
  const waiting = await db.approval.findMany({
    where: { status: { in: NOT_YET_RUN }, ...(roomId ? { roomId } : {}) },
    select: { id: true, roomId: true, requesterId: true, requesterRole: true },
    take: 1000,
  });
  if (waiting.length === 0) return 0;
  const roomIds = [...new Set(waiting.map((a) => a.roomId))];
  const [rooms, members] = await Promise.all([
    db.room.findMany({ where: { id: { in: roomIds } }, select: { id: true, archivedAt: true } }),
    db.member.findMany({
      where: { OR: waiting.map((a) => ({ roomId: a.roomId, userId: a.requesterId })) },
      select: { roomId: true, userId: true, role: true },
    }),
  ]);
  const roomById = new Map(rooms.map((r) => [r.id, r]));
  const memberOf = new Map(members.map((m) => [`${m.roomId}\n${m.userId}`, m]));
  let cancelled = 0;
  for (const approval of waiting) {
    const problem = standingProblem(
      approval,
      roomById.get(approval.roomId) ?? null,
      memberOf.get(`${approval.roomId}\n${approval.requesterId}`) ?? null,
    );
    if (problem && (await cancelApproval(approval.id, problem))) cancelled++;
  }
  return cancelled;
}
