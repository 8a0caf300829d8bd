// The approvals inbox: what waits for the user's review across their rooms, what was decided,
// and one approval in full with the diff of what it would change.
import { db } from '../db';
import { isAppError, notFound } from '../errors';
import { roomRepository } from '../repositories/room-repository';
import { getChangeRequest } from '../change-requests/change-requests';
import { can } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { approvalSelect } from './approval-record';
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
  const approval = await db.approval.findUniqueOrThrow({
    where: { id: approvalId },
    select: {
      ...approvalSelect,
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
    diff: await approvalDiff(approval.roomId, approval.tool, approval.arguments as Record<string, unknown>),
  };
}

/** For pushes and merges: the diff against the branch head as it is now. */
async function approvalDiff(roomId: string, tool: string, args: Record<string, unknown>) {
  try {
    const repository = await roomRepository(roomId);
    if (tool === 'push_files') {
      const room = await db.room.findUniqueOrThrow({ where: { id: roomId }, select: { defaultBranch: true } });
      const preview = await repository.previewChanges({
        branch: String(args.branch),
        files: (args.files as { path: string; content: string }[]) ?? [],
        deletions: (args.deletions as string[] | undefined) ?? [],
        createBranchFrom: room.defaultBranch,
      });
      return { patch: preview.patch, truncated: preview.truncated, files: preview.files, against: preview.baseSha };
    }
    if (tool === 'merge_pull_request') {
      const changeRequest = await getChangeRequest(roomId, Number(args.pullNumber));
      // A merge pinned to a head commit merges exactly that commit: show it, not the branch as it is now.
      const head = typeof args.sha === 'string' ? args.sha : changeRequest.head;
      const diff = await repository.diff(changeRequest.base, head, { mergeBase: true });
      return { patch: diff.patch, truncated: diff.truncated, files: diff.files, against: diff.baseSha };
    }
  } catch (error) {
    return { error: isAppError(error) ? error.message : 'The diff could not be computed' };
  }
  return null;
}

/** The rooms whose approval events a user's live inbox should hear about. */
export { memberRoomIds };
