// Agent sessions as the dashboard sees them: the room's connected agents, one session's calls as
// a story, and disconnecting a session (on whichever instance holds it).
import { config } from '../config';
import { db } from '../db';
import { userNames } from '../users/user-names';
import { notFound } from '../errors';
import { publish } from '../events/event-bus';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';

/** Sessions whose instance refreshed them since then are live; older ones' instance is presumed gone. */
export function liveSessionCutoff(): Date {
  return new Date(Date.now() - 3 * config().AEGIS_SESSION_HEARTBEAT_SECONDS * 1000);
}

const sessionSelect = {
  id: true,
  roomId: true,
  userId: true,
  role: true,
  transport: true,
  clientName: true,
  clientVersion: true,
  createdAt: true,
  lastActivityAt: true,
  endedAt: true,
  endReason: true,
} as const;

export async function listConnectedSessions(actorId: string, roomId: string) {
  await getRoomForUser(actorId, roomId);
  const sessions = await db.agentSession.findMany({
    where: { roomId, endedAt: null, heartbeatAt: { gt: liveSessionCutoff() } },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: sessionSelect,
  });
  return withUserNames(sessions);
}

export async function getSession(actorId: string, roomId: string, sessionId: string) {
  await getRoomForUser(actorId, roomId);
  const session = await db.agentSession.findFirst({ where: { id: sessionId, roomId }, select: sessionSelect });
  if (!session) throw notFound('Session not found');
  return (await withUserNames([session]))[0]!;
}

export async function disconnectSession(actorId: string, roomId: string, sessionId: string) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'session.disconnect');
  const session = await db.agentSession.findFirst({ where: { id: sessionId, roomId }, select: { id: true } });
  if (!session) throw notFound('Session not found');
  await db.$transaction(async (tx) => {
    await tx.agentSession.updateMany({
      where: { id: sessionId, endedAt: null },
      data: { endedAt: new Date(), endReason: 'disconnected by a room admin' },
    });
    await publish({ type: 'session.disconnect', sessionId, reason: 'disconnected by a room admin' }, tx);
  });
}

async function withUserNames<T extends { userId: string }>(sessions: T[]) {
  const names = await userNames(sessions.map((s) => s.userId));
  return sessions.map((s) => ({ ...s, userName: names.get(s.userId) ?? 'a former user' }));
}
