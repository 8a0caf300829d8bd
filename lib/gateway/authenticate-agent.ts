// Authenticating an agent connection (on connect and on every message). The access token is one
// member's own token for one room (constant-time digest comparison), so it names the user and the
// room; the room must be active; a user_id or room_id sent beside it must be the token's own; the
// requested role is at most the member's role. A caller without a valid token learns nothing about
// rooms or users.
//
// A valid token used to claim someone else's identity or a role above its member's is refused and
// that refusal written to the room's audit log, under the token's owner.
//
// On a room's MCP URL the token may instead be an OAuth access token (lib/oauth/access-tokens.ts):
// it names its grant's user, room and role, and must be bound to exactly that URL.
//
// Token lookups are cached in memory and dropped on the events that change them (token rotation,
// archiving, member changes — from any instance, via LISTEN/NOTIFY), with a short lifetime as a
// safety net.
import { db } from '../db';
import { AppError } from '../errors';
import type { Role } from '../generated/prisma/enums';
import { appendAuditEntry } from '../audit/append-audit-entry';
import { subscribe, type AegisEvent } from '../events/event-bus';
import { isRole, roleAtLeast } from '../rooms/permissions';
import { digestToken, looksLikeRoomToken, tokenMatchesDigest } from '../tokens/room-token';
import { authenticateAccessToken, looksLikeAccessToken, watchAccessTokenEvents } from '../oauth/access-tokens';
import type { AgentCredentials } from './agent-credentials';

export type AgentIdentity = {
  userId: string;
  roomId: string;
  role: Role;
  memberRole: Role;
  /** The member token's digest, or for an OAuth grant `oauth-grant:<id>` (its tokens rotate, it stays). */
  tokenDigest: string;
  /** Set when the agent holds an OAuth grant rather than the member's token. */
  grantId?: string;
};

const CACHE_MS = 30_000;
const MAX_ENTRIES = 50_000;

type TokenOwner = { roomId: string; userId: string; memberRole: Role; digest: string };
type Cached = { value: TokenOwner; expires: number };
const cache = globalThis as unknown as {
  aegisTokenOwners?: Map<string, Cached>;
  aegisAuthSubscribed?: Promise<unknown>;
};
const owners: Map<string, Cached> = (cache.aegisTokenOwners ??= new Map());

function onEvent(event: AegisEvent) {
  if (event.type === 'room.token_rotated' || event.type === 'room.archived' || event.type === 'room.members_changed') {
    for (const [key, entry] of owners) if (entry.value.roomId === event.roomId) owners.delete(key);
  } else if (event.type === 'bus.reset') {
    owners.clear();
  }
}

async function tokenOwner(digest: string): Promise<TokenOwner | null> {
  const hit = owners.get(digest);
  if (hit && hit.expires > Date.now()) return hit.value;
  if (hit) owners.delete(digest);
  const member = await db.member.findUnique({
    where: { tokenDigest: digest },
    select: { roomId: true, userId: true, role: true, room: { select: { archivedAt: true } } },
  });
  if (!member || member.room.archivedAt) return null;
  const value = { roomId: member.roomId, userId: member.userId, memberRole: member.role, digest };
  // Only valid tokens are cached: random guesses must not fill memory.
  if (owners.size >= MAX_ENTRIES) owners.clear();
  owners.set(digest, { value, expires: Date.now() + CACHE_MS });
  return value;
}

export type AuthenticateOptions = {
  /** The seed's /sse URL names user, room and role; /mcp may leave them to the token (role: DEVELOPER). */
  requireAllFields?: boolean;
  /**
   * On a new connection: write refusals of a valid token to the audit log, naming the transport.
   * Re-checks of an open session leave this out (its end is recorded with the session).
   */
  auditRefusalsFrom?: 'sse' | 'streamable-http';
};

export async function authenticateAgent(
  credentials: AgentCredentials,
  options: AuthenticateOptions = {},
): Promise<AgentIdentity> {
  // Subscribed before the first lookup, so no invalidation can be missed once something is cached
  // (and before any session subscribes, so caches are dropped before sessions re-check on an event).
  await (cache.aegisAuthSubscribed ??= Promise.all([subscribe(onEvent), watchAccessTokenEvents()]));
  const { token, roomId, userId } = credentials;
  if (!token)
    throw new AppError('invalid_token', 'An access token is required (access_token or Authorization: Bearer)');
  if (options.requireAllFields && (!roomId || !userId || !credentials.role)) {
    throw new AppError('invalid_token', 'user_id, room_id, access_token and role are all required');
  }
  if (looksLikeAccessToken(token)) return authenticateGrant(credentials);
  const owner = looksLikeRoomToken(token) ? await tokenOwner(digestToken(token)) : null;
  if (!owner || (roomId && owner.roomId !== roomId) || !tokenMatchesDigest(token, owner.digest)) {
    throw new AppError('invalid_token', 'The access token is not valid for this room (it may have been rotated)');
  }
  const role = credentials.role || 'DEVELOPER';
  if (userId && userId !== owner.userId) {
    await auditRefusal(owner, credentials, options, 'The access token belongs to another user than user_id');
    throw new AppError(
      'invalid_token',
      'The access token belongs to another user than user_id: each member connects with their own token',
    );
  }
  if (!isRole(role)) throw new AppError('role_not_allowed', 'role must be DEVELOPER, ADMIN or OWNER');
  if (!roleAtLeast(owner.memberRole, role)) {
    const message = `The requested role ${role} is above this member's role ${owner.memberRole}`;
    await auditRefusal(owner, credentials, options, message);
    throw new AppError('role_not_allowed', message);
  }
  return { userId: owner.userId, roomId: owner.roomId, role, memberRole: owner.memberRole, tokenDigest: owner.digest };
}

/** An OAuth access token: its grant decides user, room and role; names sent beside it must agree. */
async function authenticateGrant(credentials: AgentCredentials): Promise<AgentIdentity> {
  const owner = await authenticateAccessToken(credentials.token, credentials.resource, credentials.role || undefined);
  if (
    (credentials.roomId && credentials.roomId !== owner.roomId) ||
    (credentials.userId && credentials.userId !== owner.userId)
  ) {
    throw new AppError('invalid_token', "The access token is not valid for this room's MCP URL");
  }
  return {
    userId: owner.userId,
    roomId: owner.roomId,
    role: owner.role,
    memberRole: owner.memberRole,
    tokenDigest: `oauth-grant:${owner.grantId}`,
    grantId: owner.grantId,
  };
}

/**
 * A member's valid token used beyond what it grants is an attack or a misconfiguration the room's
 * reviewers should see. The entry names the token's owner and what was claimed — never the token.
 */
async function auditRefusal(
  owner: TokenOwner,
  claimed: AgentCredentials,
  options: AuthenticateOptions,
  reason: string,
) {
  if (!options.auditRefusalsFrom) return;
  try {
    await appendAuditEntry({
      roomId: owner.roomId,
      kind: 'decision',
      userId: owner.userId,
      role: owner.memberRole,
      tool: 'connect',
      arguments: {
        claimedUserId: claimed.userId.slice(0, 200) || null,
        claimedRole: claimed.role.slice(0, 50) || null,
        transport: options.auditRefusalsFrom ?? null,
      },
      decision: 'refused',
      reason,
    });
  } catch (error) {
    // The refusal stands whether or not it could be written; the agent gets the refusal, not this.
    console.error('[aegis] could not audit a refused connection', error);
  }
}
