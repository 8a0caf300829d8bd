// Dashboard actions on a room that its page lists: who revealed or rotated the token, who changed
// the members or the room's settings. (Agent tool calls go to the audit log, not here.)
import { db } from '../db';
import { userNames } from '../users/user-names';
import type { Prisma } from '../generated/prisma/client';

export type RoomEventKind =
  | 'room.created'
  | 'room.archived'
  | 'token.revealed'
  | 'token.rotated'
  | 'token.revoked'
  | 'token.rotated_all'
  | 'member.added'
  | 'member.role_changed'
  | 'member.removed'
  | 'webhook.changed'
  | 'change_request.closed'
  | 'room.settings_changed';

export function recordRoomEvent(
  tx: Prisma.TransactionClient,
  event: { roomId: string; actorId: string; kind: RoomEventKind; detail?: string },
) {
  return tx.roomEvent.create({ data: event });
}

export async function listRoomEvents(roomId: string, take = 20) {
  const events = await db.roomEvent.findMany({
    where: { roomId },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, kind: true, detail: true, createdAt: true, actorId: true },
  });
  const names = await userNames(events.map((e) => e.actorId));
  return events.map((e) => ({ ...e, actorName: names.get(e.actorId) ?? 'a former user' }));
}
