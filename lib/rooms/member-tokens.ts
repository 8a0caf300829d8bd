// Each member's own access token for a room. A member sees and rotates only their own; an OWNER can
// revoke any member's token (it is replaced, the old one dead at once) or rotate every token of the
// room. Whatever ends a token ends the sessions opened with it, here and on every instance.
import { db } from '../db';
import { notFound } from '../errors';
import { decryptSecret } from '../crypto/secret-box';
import { publish } from '../events/event-bus';
import type { Prisma } from '../generated/prisma/client';
import { issueMemberToken } from '../tokens/issue-member-token';
import { assertCan } from './permissions';
import { getRoomForUser } from './get-room';
import { recordRoomEvent } from './room-events';

type Tx = Prisma.TransactionClient;

/** The member's token, issued now if they have none yet (members from before per-member tokens). */
async function ownToken(tx: Tx, roomId: string, userId: string): Promise<string> {
  const member = await tx.member.findUnique({
    where: { roomId_userId: { roomId, userId } },
    select: { tokenCiphertext: true },
  });
  if (!member) throw notFound('Room not found');
  return member.tokenCiphertext ? decryptSecret(member.tokenCiphertext) : issueMemberToken(tx, { roomId, userId });
}

/** Ends the sessions opened with tokens that no longer exist (on every instance). */
async function endSessionsOfReplacedTokens(tx: Tx, roomId: string, userId: string | undefined, reason: string) {
  await tx.agentSession.updateMany({
    where: { roomId, ...(userId ? { userId } : {}), endedAt: null },
    data: { endedAt: new Date(), endReason: reason },
  });
  await publish({ type: 'room.token_rotated', roomId }, tx);
}

/** Shows the member their own token on the room page (recorded in the room's activity). */
export async function revealMyToken(userId: string, roomId: string): Promise<string> {
  const room = await getRoomForUser(userId, roomId);
  assertCan(room.myRole, 'token.reveal');
  return db.$transaction(async (tx) => {
    await recordRoomEvent(tx, { roomId, actorId: userId, kind: 'token.revealed' });
    return ownToken(tx, roomId, userId);
  });
}

/**
 * The member's own token for their agent configuration (Integrations page). Not recorded: it is the
 * member's own secret shown to them, and a record per page view would drown the room's activity.
 */
export async function myTokenForIntegrations(userId: string, roomId: string): Promise<string> {
  const room = await getRoomForUser(userId, roomId);
  assertCan(room.myRole, 'token.reveal');
  return db.$transaction((tx) => ownToken(tx, roomId, userId));
}

export async function rotateMyToken(userId: string, roomId: string): Promise<string> {
  const room = await getRoomForUser(userId, roomId);
  assertCan(room.myRole, 'token.rotate');
  return db.$transaction(async (tx) => {
    const token = await issueMemberToken(tx, { roomId, userId });
    await recordRoomEvent(tx, { roomId, actorId: userId, kind: 'token.rotated' });
    await endSessionsOfReplacedTokens(tx, roomId, userId, 'token rotated');
    return token;
  });
}

/** An OWNER revokes another member's token: a new one replaces it, which only that member can see. */
export async function revokeMemberToken(actorId: string, roomId: string, memberId: string): Promise<void> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'token.revoke');
  await db.$transaction(async (tx) => {
    const member = await tx.member.findUnique({
      where: { roomId_userId: { roomId, userId: memberId } },
      select: { user: { select: { email: true } } },
    });
    if (!member) throw notFound('Member not found');
    await issueMemberToken(tx, { roomId, userId: memberId });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'token.revoked', detail: member.user.email });
    await endSessionsOfReplacedTokens(tx, roomId, memberId, 'token revoked by an OWNER');
  });
}

/** An OWNER replaces every member's token at once (a suspected leak); each member sees their new one. */
export async function rotateAllTokens(actorId: string, roomId: string): Promise<void> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'token.revoke');
  await db.$transaction(async (tx) => {
    const members = await tx.member.findMany({ where: { roomId }, select: { userId: true } });
    for (const member of members) await issueMemberToken(tx, { roomId, userId: member.userId });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'token.rotated_all' });
    await endSessionsOfReplacedTokens(tx, roomId, undefined, 'all tokens of the room rotated');
  });
}

const JUST_CREATED_MS = 10 * 60 * 1000;

/**
 * Right after creating a room its creator sees their token in full, once the page loads; later it
 * takes an explicit (recorded) reveal. Undefined when that moment has passed or the token changed.
 */
export async function revealTokenForCreator(userId: string, roomId: string): Promise<string | undefined> {
  const member = await db.member.findFirst({
    where: {
      roomId,
      userId,
      room: { createdById: userId, archivedAt: null, createdAt: { gt: new Date(Date.now() - JUST_CREATED_MS) } },
    },
    select: { tokenCiphertext: true, tokenIssuedAt: true, room: { select: { createdAt: true } } },
  });
  if (!member?.tokenCiphertext || !member.tokenIssuedAt) return undefined;
  if (member.tokenIssuedAt.getTime() - member.room.createdAt.getTime() > 1000) return undefined;
  return decryptSecret(member.tokenCiphertext);
}
