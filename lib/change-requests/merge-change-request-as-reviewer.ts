// Merging a change request from the dashboard: only the room's reviewers (ADMIN/OWNER) may, and
// the merge is authored by them. The role check lives here so every caller gets it.
import { db } from '../db';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { mergeChangeRequest } from './change-requests';

export interface MergeChangeRequestAsReviewerOptions {
  actorId: string;
  roomId: string;
  number: number;
}

export async function mergeChangeRequestAsReviewer({ actorId, roomId, number }: MergeChangeRequestAsReviewerOptions) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'approval.review');
  const actor = await db.user.findUniqueOrThrow({ where: { id: actorId }, select: { name: true, email: true } });
  return mergeChangeRequest({ roomId, number, actorId, author: { name: actor.name, email: actor.email } });
}
