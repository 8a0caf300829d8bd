// The resource server's side of MCP authorization: is this bearer token an access token Aegis
// issued for exactly this room's MCP URL (RFC 8707 audience), unexpired, of a grant that stands,
// for a user who is still a member? The role is the grant's, capped by the membership as it is now.
//
// Lookups are cached briefly and dropped on the events that change them (revocation is announced
// as a token rotation; member changes and archiving as themselves), like member tokens.
import { db } from '../db';
import { AppError } from '../errors';
import type { Role } from '../generated/prisma/enums';
import { subscribe, type AegisEvent } from '../events/event-bus';
import { roleAtLeast } from '../rooms/permissions';
import { digestOAuthSecret, looksLikeOAuthSecret } from './secrets';

export type AccessTokenOwner = {
  grantId: string;
  userId: string;
  roomId: string;
  /** The grant's role capped by the member's current role. */
  role: Role;
  memberRole: Role;
  resource: string;
  expiresAt: number;
};

const CACHE_MS = 30_000;
const MAX_ENTRIES = 50_000;
const LAST_USED_WRITE_MS = 60_000;

type Cached = { value: AccessTokenOwner; until: number };
const state = globalThis as unknown as {
  aegisAccessTokens?: Map<string, Cached>;
  aegisAccessTokensSubscribed?: Promise<unknown>;
  aegisGrantLastUsed?: Map<string, number>;
};
const cache = (state.aegisAccessTokens ??= new Map());
const lastUsedWrites = (state.aegisGrantLastUsed ??= new Map());

function onEvent(event: AegisEvent) {
  if (event.type === 'room.token_rotated' || event.type === 'room.archived' || event.type === 'room.members_changed') {
    for (const [key, entry] of cache) if (entry.value.roomId === event.roomId) cache.delete(key);
  } else if (event.type === 'bus.reset') {
    cache.clear();
  }
}

/**
 * Starts dropping cached lookups on events. authenticate-agent calls this on its first use, before
 * any session exists, so this cache is cleared before sessions re-check themselves on an event.
 */
export function watchAccessTokenEvents(): Promise<unknown> {
  return (state.aegisAccessTokensSubscribed ??= subscribe(onEvent));
}

export function looksLikeAccessToken(token: string): boolean {
  return looksLikeOAuthSecret('access', token);
}

async function lookup(digest: string): Promise<AccessTokenOwner | null> {
  const hit = cache.get(digest);
  if (hit && hit.until > Date.now()) return hit.value;
  if (hit) cache.delete(digest);
  const token = await db.oAuthToken.findUnique({
    where: { digest },
    select: {
      kind: true,
      expiresAt: true,
      grant: { select: { id: true, userId: true, roomId: true, role: true, resource: true, revokedAt: true } },
    },
  });
  if (!token || token.kind !== 'access' || token.grant.revokedAt) return null;
  const member = await db.member.findUnique({
    where: { roomId_userId: { roomId: token.grant.roomId, userId: token.grant.userId } },
    select: { role: true, room: { select: { archivedAt: true } } },
  });
  if (!member || member.room.archivedAt) return null;
  const value: AccessTokenOwner = {
    grantId: token.grant.id,
    userId: token.grant.userId,
    roomId: token.grant.roomId,
    role: roleAtLeast(member.role, token.grant.role) ? token.grant.role : member.role,
    memberRole: member.role,
    resource: token.grant.resource,
    expiresAt: token.expiresAt.getTime(),
  };
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(digest, { value, until: Math.min(Date.now() + CACHE_MS, value.expiresAt) });
  return value;
}

/**
 * The owner of an access token presented at `resource` (the room MCP URL the request came to).
 * `role`, when given (a session's re-check), must still be what the grant allows.
 */
export async function authenticateAccessToken(
  token: string,
  resource: string | undefined,
  role?: string,
): Promise<AccessTokenOwner> {
  await watchAccessTokenEvents();
  const refused = () =>
    new AppError(
      'invalid_token',
      "The access token is not valid for this room's MCP URL (it may have expired or been revoked)",
    );
  if (!resource || !looksLikeAccessToken(token)) throw refused();
  const owner = await lookup(digestOAuthSecret(token));
  if (!owner || owner.resource !== resource || owner.expiresAt <= Date.now()) throw refused();
  if (role && role !== owner.role) {
    throw new AppError('role_not_allowed', `This agent's grant no longer allows the role ${role} (now ${owner.role})`);
  }
  recordUse(owner.grantId);
  return owner;
}

/** "Last used" on the Settings page: written at most once a minute per grant, off the request path. */
function recordUse(grantId: string) {
  const now = Date.now();
  if (now - (lastUsedWrites.get(grantId) ?? 0) < LAST_USED_WRITE_MS) return;
  if (lastUsedWrites.size >= MAX_ENTRIES) lastUsedWrites.clear();
  lastUsedWrites.set(grantId, now);
  void db.oAuthGrant
    .updateMany({ where: { id: grantId }, data: { lastUsedAt: new Date(now) } })
    .catch((error) => console.error('[aegis] could not record when an agent grant was used', error));
}
