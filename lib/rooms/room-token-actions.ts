// Revealing and rotating a room's access token. Both are recorded (who, when). Rotation kills the
// old token at once: sessions opened with it are ended here and on every instance.
import { db } from '../db';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import { digestToken, generateRoomToken } from '../tokens/room-token';
import { publish } from '../events/event-bus';
import { assertCan } from './permissions';
import { getRoomForUser } from './get-room';
import { recordRoomEvent } from './room-events';

export async function revealRoomToken(actorId: string, roomId: string): Promise<string> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'token.reveal');
  const { tokenCiphertext } = await db.$transaction(async (tx) => {
    await recordRoomEvent(tx, { roomId, actorId, kind: 'token.revealed' });
    return tx.room.findUniqueOrThrow({ where: { id: roomId }, select: { tokenCiphertext: true } });
  });
  return decryptSecret(tokenCiphertext);
}

export async function rotateRoomToken(actorId: string, roomId: string): Promise<string> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'token.rotate');
  const token = generateRoomToken();
  await db.$transaction(async (tx) => {
    await tx.room.update({
      where: { id: roomId },
      data: { tokenDigest: digestToken(token), tokenCiphertext: encryptSecret(token), tokenRotatedAt: new Date() },
    });
    await tx.agentSession.updateMany({
      where: { roomId, endedAt: null },
      data: { endedAt: new Date(), endReason: 'token rotated' },
    });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'token.rotated' });
    await publish({ type: 'room.token_rotated', roomId }, tx);
  });
  return token;
}

/**
 * The room's token for a member's own agent configuration (Integrations page): every member needs
 * it to connect, so any member may read it there; each read is recorded like a reveal.
 */
export async function roomTokenForMember(userId: string, roomId: string): Promise<string> {
  await getRoomForUser(userId, roomId);
  const { tokenCiphertext } = await db.$transaction(async (tx) => {
    await recordRoomEvent(tx, { roomId, actorId: userId, kind: 'token.revealed', detail: 'Integrations page' });
    return tx.room.findUniqueOrThrow({ where: { id: roomId }, select: { tokenCiphertext: true } });
  });
  return decryptSecret(tokenCiphertext);
}

const JUST_CREATED_MS = 10 * 60 * 1000;

/**
 * Right after creating a room its creator sees the token in full, once the page loads; later it
 * takes an explicit (recorded) reveal. Undefined when that moment has passed.
 */
export async function revealRoomTokenForCreator(userId: string, roomId: string): Promise<string | undefined> {
  const room = await db.room.findFirst({
    where: {
      id: roomId,
      createdById: userId,
      archivedAt: null,
      createdAt: { gt: new Date(Date.now() - JUST_CREATED_MS) },
    },
    select: { tokenCiphertext: true, createdAt: true, tokenRotatedAt: true },
  });
  if (!room || room.tokenRotatedAt.getTime() - room.createdAt.getTime() > 1000) return undefined;
  return decryptSecret(room.tokenCiphertext);
}
