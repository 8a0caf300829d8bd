// Grants: what a member approved for one agent client in one room. Settings lists a user's grants
// and revokes them; removing a member revokes theirs and demoting one caps theirs, in the same
// transaction. A revocation deletes the grant's tokens and is announced like a token rotation
// (`room.token_rotated` over the event bus), so every instance drops its cached lookups and ends the
// sessions the grant opened at once.
import { db } from '../db';
import { notFound } from '../errors';
import { publish } from '../events/event-bus';
import type { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { rolesUpTo } from '../rooms/permissions';
import { redirectHost } from './redirect-uris';

export type GrantSummary = {
  id: string;
  clientName: string;
  clientId: string;
  redirectHost: string;
  roomId: string;
  roomName: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
};

/** The user's live grants, newest first. */
export async function listGrants(userId: string): Promise<GrantSummary[]> {
  const grants = await db.oAuthGrant.findMany({
    where: { userId, revokedAt: null },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      clientId: true,
      clientName: true,
      redirectUri: true,
      roomId: true,
      role: true,
      createdAt: true,
      lastUsedAt: true,
    },
  });
  const rooms = await db.room.findMany({
    where: { id: { in: [...new Set(grants.map((g) => g.roomId))] } },
    select: { id: true, name: true },
  });
  const names = new Map(rooms.map((r) => [r.id, r.name]));
  return grants.map(({ redirectUri, ...grant }) => ({
    ...grant,
    redirectHost: redirectHost(redirectUri),
    roomName: names.get(grant.roomId) ?? 'a deleted room',
  }));
}

/** The user revokes one of their own grants (another user's is "not found"). */
export async function revokeMyGrant(userId: string, grantId: string): Promise<void> {
  const grant = await db.oAuthGrant.findFirst({
    where: { id: grantId, userId, revokedAt: null },
    select: { id: true },
  });
  if (!grant) throw notFound('This authorised agent does not exist, or was revoked already');
  await revokeGrant(grant.id, 'revoked by the user');
}

/** Revokes a grant and every token it issued; its sessions end on every instance. */
export async function revokeGrant(grantId: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const grant = await tx.oAuthGrant.findUnique({ where: { id: grantId }, select: { roomId: true } });
    if (!grant) return;
    await tx.oAuthGrant.updateMany({
      where: { id: grantId, revokedAt: null },
      data: { revokedAt: new Date(), revokeReason: reason },
    });
    await tx.oAuthToken.deleteMany({ where: { grantId } });
    await publish({ type: 'room.token_rotated', roomId: grant.roomId }, tx);
  });
}

/** A member was removed: their grants in the room end with the membership (same transaction). */
export async function revokeMemberGrants(tx: Prisma.TransactionClient, roomId: string, userId: string) {
  const grants = await tx.oAuthGrant.findMany({ where: { roomId, userId, revokedAt: null }, select: { id: true } });
  if (grants.length === 0) return;
  const ids = grants.map((g) => g.id);
  await tx.oAuthGrant.updateMany({
    where: { id: { in: ids } },
    data: { revokedAt: new Date(), revokeReason: 'member removed' },
  });
  await tx.oAuthToken.deleteMany({ where: { grantId: { in: ids } } });
}

/** A member's role changed: no grant of theirs keeps a role above the new one (same transaction). */
export async function capMemberGrants(tx: Prisma.TransactionClient, roomId: string, userId: string, role: Role) {
  await tx.oAuthGrant.updateMany({
    where: { roomId, userId, revokedAt: null, role: { notIn: rolesUpTo(role) } },
    data: { role },
  });
}
