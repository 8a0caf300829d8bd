// Authenticating an agent connection (on connect and on every message). Checks, in this order so a
// caller without a valid token learns nothing about rooms or users: the token is a room's current
// token (constant-time digest comparison) and names the requested room, which is active; the user
// is a member; the requested role is at most the member's role.
//
// Token and membership lookups are cached in memory and dropped on the events that change them
// (token rotation, archiving, member changes — from any instance, via LISTEN/NOTIFY), with a
// short lifetime as a safety net.
import { db } from '../db';
import { AppError } from '../errors';
import type { Role } from '../generated/prisma/enums';
import { subscribe, type AegisEvent } from '../events/event-bus';
import { isRole, roleAtLeast } from '../rooms/permissions';
import { digestToken, looksLikeRoomToken, tokenMatchesDigest } from '../tokens/room-token';
import type { AgentCredentials } from './agent-credentials';

export type AgentIdentity = { userId: string; roomId: string; role: Role; memberRole: Role; tokenDigest: string };

const CACHE_MS = 30_000;
const MAX_ENTRIES = 50_000;

type Cached<T> = { value: T; expires: number };
type TokenRoom = { roomId: string; digest: string };
const cache = globalThis as unknown as {
  aegisTokenCache?: Map<string, Cached<TokenRoom>>;
  aegisMemberCache?: Map<string, Cached<Role | null>>;
  aegisAuthSubscribed?: Promise<unknown>;
};
const tokens: Map<string, Cached<TokenRoom>> = (cache.aegisTokenCache ??= new Map());
const members: Map<string, Cached<Role | null>> = (cache.aegisMemberCache ??= new Map());

function dropRoom(roomId: string, what: 'all' | 'members') {
  if (what === 'all') for (const [key, entry] of tokens) if (entry.value.roomId === roomId) tokens.delete(key);
  for (const key of members.keys()) if (key.startsWith(`${roomId}:`)) members.delete(key);
}

function onEvent(event: AegisEvent) {
  if (event.type === 'room.token_rotated' || event.type === 'room.archived') dropRoom(event.roomId, 'all');
  else if (event.type === 'room.members_changed') dropRoom(event.roomId, 'members');
  else if (event.type === 'bus.reset') {
    tokens.clear();
    members.clear();
  }
}

function remember<T>(map: Map<string, Cached<T>>, key: string, value: T) {
  if (map.size >= MAX_ENTRIES) map.clear();
  map.set(key, { value, expires: Date.now() + CACHE_MS });
}

function recall<T>(map: Map<string, Cached<T>>, key: string): Cached<T> | undefined {
  const entry = map.get(key);
  if (entry && entry.expires > Date.now()) return entry;
  if (entry) map.delete(key);
  return undefined;
}

async function roomForToken(digest: string): Promise<TokenRoom | null> {
  const hit = recall(tokens, digest);
  if (hit) return hit.value;
  const room = await db.room.findUnique({ where: { tokenDigest: digest }, select: { id: true, archivedAt: true } });
  const value = room && !room.archivedAt ? { roomId: room.id, digest } : null;
  // Only valid tokens are cached: random guesses must not fill memory.
  if (value) remember(tokens, digest, value);
  return value;
}

async function memberRole(roomId: string, userId: string): Promise<Role | null> {
  const key = `${roomId}:${userId}`;
  const hit = recall(members, key);
  if (hit) return hit.value;
  const member = await db.member.findUnique({ where: { roomId_userId: { roomId, userId } }, select: { role: true } });
  remember(members, key, member?.role ?? null);
  return member?.role ?? null;
}

export async function authenticateAgent(credentials: AgentCredentials): Promise<AgentIdentity> {
  // Subscribed before the first lookup, so no invalidation can be missed once something is cached.
  await (cache.aegisAuthSubscribed ??= subscribe(onEvent));
  const { token, roomId, userId, role } = credentials;
  if (!token)
    throw new AppError('invalid_token', 'An access token is required (access_token or Authorization: Bearer)');
  if (!roomId || !userId || !role) {
    throw new AppError('invalid_token', 'user_id, room_id, access_token and role are all required');
  }
  const room = looksLikeRoomToken(token) ? await roomForToken(digestToken(token)) : null;
  if (!room || room.roomId !== roomId || !tokenMatchesDigest(token, room.digest)) {
    throw new AppError('invalid_token', 'The access token is not valid for this room (it may have been rotated)');
  }
  const granted = await memberRole(roomId, userId);
  if (!granted) throw new AppError('not_a_member', 'This user is not a member of the room');
  if (!isRole(role)) throw new AppError('role_not_allowed', 'role must be DEVELOPER, ADMIN or OWNER');
  if (!roleAtLeast(granted, role)) {
    throw new AppError('role_not_allowed', `The requested role ${role} is above this member's role ${granted}`);
  }
  return { userId, roomId, role, memberRole: granted, tokenDigest: room.digest };
}
