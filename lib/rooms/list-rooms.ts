// The Rooms page: the user's rooms with their role and what is going on in each.
import { db } from '../db';
import { liveSessionCutoff } from '../sessions/agent-sessions';

export async function listRooms(userId: string, options: { includeArchived?: boolean } = {}) {
  const memberships = await db.member.findMany({
    where: { userId, room: options.includeArchived ? {} : { archivedAt: null } },
    orderBy: { room: { createdAt: 'desc' } },
    select: {
      role: true,
      room: {
        select: {
          id: true,
          name: true,
          repositoryKind: true,
          repositoryLocation: true,
          defaultBranch: true,
          archivedAt: true,
          _count: {
            select: {
              sessions: { where: { endedAt: null, heartbeatAt: { gt: liveSessionCutoff() } } },
              approvals: { where: { status: 'pending', expiresAt: { gt: new Date() } } },
            },
          },
        },
      },
    },
  });
  return memberships.map(({ role, room }) => ({
    id: room.id,
    name: room.name,
    repositoryKind: room.repositoryKind,
    repositoryLocation: room.repositoryLocation,
    defaultBranch: room.defaultBranch,
    archived: room.archivedAt !== null,
    myRole: role,
    connectedAgents: room._count.sessions,
    pendingApprovals: room._count.approvals,
  }));
}
