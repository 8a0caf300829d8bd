// An approved action runs with its requester's authority, so it may only run while the requester
// still holds it: a member of the room (which is not archived) with at least the role the call
// was made with. Checked when a member changes, when a reviewer approves, and — failing closed —
// right before an approved action runs.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { roleAtLeast } from '../rooms/permissions';

type Requester = { roomId: string; requesterId: string; requesterRole: Role };
type Reader = Pick<Prisma.TransactionClient, 'member' | 'room'>;

/** Why the requester can no longer have this action run, or null while they still can. */
export async function lostStanding(approval: Requester, client: Reader = db): Promise<string | null> {
  const [room, member] = await Promise.all([
    client.room.findUnique({ where: { id: approval.roomId }, select: { archivedAt: true } }),
    client.member.findUnique({
      where: { roomId_userId: { roomId: approval.roomId, userId: approval.requesterId } },
      select: { role: true },
    }),
  ]);
  return standingProblem(approval, room, member);
}

export function standingProblem(
  approval: Requester,
  room: { archivedAt: Date | null } | null,
  member: { role: Role } | null,
): string | null {
  if (!room || room.archivedAt) return 'The room was archived.';
  if (!member) return 'The requester is no longer a member of the room.';
  if (!roleAtLeast(member.role, approval.requesterRole)) {
    return `The requester is now ${member.role} in the room, below the ${approval.requesterRole} role the call was made with.`;
  }
  return null;
}
