// Reading a room as a user: every query is scoped to the user's membership, so a room the user is
// not a member of (or that does not exist) is simply "not found".
import { db } from '../db';
import { notFound } from '../errors';
import type { Role } from '../generated/prisma/enums';

export const roomSelect = {
  id: true,
  name: true,
  repositoryKind: true,
  repositoryLocation: true,
  githubApiUrl: true,
  defaultBranch: true,
  protectedBranches: true,
  branchPattern: true,
  approvalExpirySeconds: true,
  archivedAt: true,
  createdAt: true,
} as const;

export type RoomForUser = Awaited<ReturnType<typeof getRoomForUser>>;

export async function getRoomForUser(userId: string, roomId: string, options: { includeArchived?: boolean } = {}) {
  const membership = await db.member.findFirst({
    where: { roomId, userId, room: options.includeArchived ? {} : { archivedAt: null } },
    select: { role: true, room: { select: roomSelect } },
  });
  if (!membership) throw notFound('Room not found');
  return { ...membership.room, myRole: membership.role as Role };
}
