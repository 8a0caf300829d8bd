// A room's members: OWNERs add existing users by email (each gets their own access token), change
// roles and remove members; the last OWNER can be neither removed nor demoted. Removing a member
// deletes their token and revokes their agents' OAuth grants; demoting caps those grants at the new
// role; removing or demoting ends their sessions that the new role no longer covers.
import { db } from '../db';
import { conflict, invalid, notFound } from '../errors';
import type { Role } from '../generated/prisma/enums';
import { Prisma } from '../generated/prisma/client';
import { publish } from '../events/event-bus';
import { issueMemberToken } from '../tokens/issue-member-token';
import { capMemberGrants, revokeMemberGrants } from '../oauth/grants';
import { assertCan } from './permissions';
import { getRoomForUser } from './get-room';
import { recordRoomEvent } from './room-events';
import { addMemberSchema, changeRoleSchema } from './schemas';

export async function listMembers(actorId: string, roomId: string) {
  await getRoomForUser(actorId, roomId);
  const members = await db.member.findMany({
    where: { roomId },
    orderBy: { createdAt: 'asc' },
    select: {
      role: true,
      createdAt: true,
      tokenIssuedAt: true,
      user: { select: { id: true, name: true, email: true } },
    },
  });
  return members.map((m) => ({ ...m.user, role: m.role, since: m.createdAt, tokenIssuedAt: m.tokenIssuedAt }));
}

export async function addMember(actorId: string, roomId: string, input: { email: string; role: string }) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'members.manage');
  const { email, role } = addMemberSchema.parse(input);
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw invalid(`No Aegis user has the email ${email}: they need to sign up first`, { field: 'email' });
  try {
    await db.$transaction(async (tx) => {
      await tx.member.create({ data: { roomId, userId: user.id, role } });
      await issueMemberToken(tx, { roomId, userId: user.id });
      await recordRoomEvent(tx, { roomId, actorId, kind: 'member.added', detail: `${email} as ${role}` });
      await publish({ type: 'room.members_changed', roomId }, tx);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw invalid(`${email} is already a member of this room`, { field: 'email' });
    }
    throw error;
  }
}

export async function changeMemberRole(actorId: string, roomId: string, input: { userId: string; role: string }) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'members.manage');
  const { userId, role } = changeRoleSchema.parse(input);
  await db.$transaction(async (tx) => {
    const member = await lockedMember(tx, roomId, userId);
    if (member.role === 'OWNER' && role !== 'OWNER') await assertAnotherOwner(tx, roomId, userId, 'demoted');
    await tx.member.update({ where: { roomId_userId: { roomId, userId } }, data: { role } });
    await capMemberGrants(tx, roomId, userId, role);
    await recordRoomEvent(tx, {
      roomId,
      actorId,
      kind: 'member.role_changed',
      detail: `${member.email}: ${member.role} → ${role}`,
    });
    await publish({ type: 'room.members_changed', roomId }, tx);
  });
}

export async function removeMember(actorId: string, roomId: string, userId: string) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'members.manage');
  await db.$transaction(async (tx) => {
    const member = await lockedMember(tx, roomId, userId);
    if (member.role === 'OWNER') await assertAnotherOwner(tx, roomId, userId, 'removed');
    await tx.member.delete({ where: { roomId_userId: { roomId, userId } } });
    await revokeMemberGrants(tx, roomId, userId);
    await tx.agentSession.updateMany({
      where: { roomId, userId, endedAt: null },
      data: { endedAt: new Date(), endReason: 'member removed' },
    });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'member.removed', detail: member.email });
    await publish({ type: 'room.members_changed', roomId }, tx);
  });
}

// The room's member rows are locked so two concurrent demotions cannot both pass the
// "another OWNER remains" check.
async function lockedMember(
  tx: Prisma.TransactionClient,
  roomId: string,
  userId: string,
): Promise<{ role: Role; email: string }> {
  await tx.$executeRaw`SELECT 1 FROM "Member" WHERE "roomId" = ${roomId} FOR UPDATE`;
  const member = await tx.member.findUnique({
    where: { roomId_userId: { roomId, userId } },
    select: { role: true, user: { select: { email: true } } },
  });
  if (!member) throw notFound('Member not found');
  return { role: member.role, email: member.user.email };
}

async function assertAnotherOwner(tx: Prisma.TransactionClient, roomId: string, userId: string, verb: string) {
  const owners = await tx.member.count({ where: { roomId, role: 'OWNER', userId: { not: userId } } });
  if (owners === 0) throw conflict(`The last OWNER of a room cannot be ${verb}: make someone else OWNER first`);
}
