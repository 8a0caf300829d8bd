// Archiving a room: its token stops working, its sessions end, it leaves the default room list.
import { db } from '../db';
import { publish } from '../events/event-bus';
import { assertCan } from './permissions';
import { getRoomForUser } from './get-room';
import { recordRoomEvent } from './room-events';

export async function archiveRoom(actorId: string, roomId: string) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'room.archive');
  await db.$transaction(async (tx) => {
    await tx.room.update({ where: { id: roomId }, data: { archivedAt: new Date() } });
    await tx.agentSession.updateMany({
      where: { roomId, endedAt: null },
      data: { endedAt: new Date(), endReason: 'room archived' },
    });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'room.archived' });
    await publish({ type: 'room.archived', roomId }, tx);
  });
}
