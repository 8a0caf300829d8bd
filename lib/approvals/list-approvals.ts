// The approvals inbox: what waits for the user's review across their rooms, what was decided,
// and one approval in full with the diff of what it would change.
import { db } from '../db';
import { notFound } from '../errors';
import { can } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { approvalSelect } from './approval-record';
import { approvalDiff } from './reviewed-diff';
import { userNames } from '../users/user-names';

async function reviewableRoomIds(userId: string): Promise<string[]> {
  const memberships = await db.member.findMany({
    where: { userId, role: { in: ['ADMIN', 'OWNER'] }, room: { archivedAt: null } },
    select: { roomId: true },
  });
  return memberships.map((m) => m.roomId);
}

async function memberRoomIds(userId: string): Promise<string[]> {
  const memberships = await db.member.findMany({ where: { userId }, select: { roomId: true } });
  return memberships.map((m) => m.roomId);
}

export async function pendingApprovalCount(userId: string): Promise<number> {
  return db.approval.count({
    where: {
      roomId: { in: await reviewableRoomIds(userId) },
      status: 'pending',
      requesterId: { not: userId },
      expiresAt: { gt: new Date() },
    },
  });
}

export async function listApprovals(userId: string, tab: 'pending' | 'history') {
  const where =
    tab === 'pending'
      ? { roomId: { in: await reviewableRoomIds(userId) }, status: 'pending', expiresAt: { gt: new Date() } }
      : { roomId: { in: await memberRoomIds(userId) }, status: { not: 'pending' } };
  const approvals = await db.approval.findMany({
    where,
    orderBy: { createdAt: tab === 'pending' ? 'asc' : 'desc' },
    take: 100,
    select: {
      ...approvalSelect,
      room: { select: { name: true } },
      reviews: { select: { reviewerId: true, decision: true, comment: true, createdAt: true } },
    },
  });
  const names = await userNames(approvals.flatMap((a) => [a.requesterId, ...a.reviews.map((r) => r.reviewerId)]));
  return approvals.map((a) => ({
    ...a,
    roomName: a.room.name,
    requesterName: names.get(a.requesterId) ?? 'a former user',
    ownRequest: a.requesterId === userId,
    reviews: a.reviews.map((r) => ({ ...r, reviewerName: names.get(r.reviewerId) ?? 'a former user' })),
  }));
}

export async function getApprovalDetail(userId: string, approvalId: string) {
  const found = await db.approval.findUnique({ where: { id: approvalId }, select: { roomId: true } });
  if (!found) throw notFound('Approval not found');
  const room = await getRoomForUser(userId, found.roomId).catch(() => {
    throw notFound('Approval not found');
  });
  // The raw kept diff stays out of the result: the page reads `diff`.
  const { reviewedDiff, ...approval } = await db.approval.findUniqueOrThrow({
    where: { id: approvalId },
    select: {
      ...approvalSelect,
      reviewedDiff: true,
      reviews: { select: { reviewerId: true, decision: true, comment: true, createdAt: true } },
    },
  });
  const names = await userNames([approval.requesterId, ...approval.reviews.map((r) => r.reviewerId)]);
  return {
    ...approval,
    room: { id: room.id, name: room.name, defaultBranch: room.defaultBranch },
    requesterName: names.get(approval.requesterId) ?? 'a former user',
    reviews: approval.reviews.map((r) => ({ ...r, reviewerName: names.get(r.reviewerId) ?? 'a former user' })),
    canReview: can(room.myRole, 'approval.review') && approval.requesterId !== userId && approval.status === 'pending',
    ownRequest: approval.requesterId === userId,
    diff: await approvalDiff({ ...approval, reviewedDiff }),
  };
}

/** The rooms whose approval events a user's live inbox should hear about. */
export { memberRoomIds };
