// Closing a change request without merging it: reviewers (ADMIN/OWNER) only, and only an open
// one — a request being merged, merged or already closed stays as it is. Who closed it is kept in
// the room's activity, in the same transaction.
import { db } from '../db';
import { conflict } from '../errors';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { recordRoomEvent } from '../rooms/room-events';
import { getChangeRequest } from './change-requests';

export interface CloseChangeRequestOptions {
  actorId: string;
  roomId: string;
  number: number;
}

export async function closeChangeRequest({ actorId, roomId, number }: CloseChangeRequestOptions) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'approval.review');
  const changeRequest = await getChangeRequest(roomId, number);
  // Conditional on the state, so a merge claimed meanwhile (on any instance) is never closed under it.
  const closed = await db.$transaction(async (tx) => {
    const updated = await tx.changeRequest.updateMany({
      where: { id: changeRequest.id, state: 'open' },
      data: { state: 'closed' },
    });
    if (updated.count > 0) {
      await recordRoomEvent(tx, {
        roomId,
        actorId,
        kind: 'change_request.closed',
        detail: `#${changeRequest.number} ${changeRequest.title}`.slice(0, 300),
      });
    }
    return updated;
  });
  if (closed.count === 0) {
    const current = await getChangeRequest(roomId, number);
    throw conflict(`Pull request #${number} is ${current.state}; only an open one can be closed`);
  }
  return { ...changeRequest, state: 'closed' as const };
}
