// Agent sessions: one MCP connection each, over SSE or Streamable HTTP, recorded in the database
// (room page, session page) and kept fresh by a heartbeat. An SSE session lives on the instance
// holding its stream (lib/gateway/sse-relay.ts brings it messages that reach other instances); a
// Streamable HTTP session lives in its record and any instance serves it (./http-sessions.ts).
// Token rotation, archiving, member changes and "disconnect" from any instance reach every
// instance as events and end the affected sessions everywhere.
//
// A session is bound to what opened it: an SSE session's messages must carry the key its stream
// announced (the id shown on pages grants nothing), and a Streamable HTTP session answers only the
// same token and role that initialised it.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { config } from '../config';
import { db } from '../db';
import { AppError, isAppError } from '../errors';
import { publish, subscribe, type AegisEvent } from '../events/event-bus';
import { liveSessionCutoff } from '../sessions/agent-sessions';
import { setMetricSources } from '../metrics/metrics';
import { roleAtLeast } from '../rooms/permissions';
import type { AgentCredentials } from './agent-credentials';
import { authenticateAgent, type AgentIdentity } from './authenticate-agent';
import { endedSession, rememberEndedSession, sessionEndedError } from './ended-sessions';
import {
  activeHere,
  cacheHttpSession,
  cachedHttpSessionCount,
  cachedHttpSessions,
  dropHttpSession,
  dropIdleRecords,
  type HttpSession,
} from './http-sessions';
import { createMcpServer } from './mcp-server';

/** An SSE session whose stream this instance holds. */
export type LiveSession = {
  id: string;
  identity: AgentIdentity;
  credentials: AgentCredentials;
  server: Server;
  transport: Transport;
  /** Digest of the key in the message endpoint the stream announced. */
  messageKeyDigest: Buffer;
  lastRecordedActivity: number;
  /** Requests whose handler is running (absent while idle, so idle sessions stay small). */
  inFlight?: Set<RequestId>;
  ending: boolean;
};

const ACTIVITY_WRITE_INTERVAL_MS = 15_000;

const state = globalThis as unknown as {
  aegisSessions?: Map<string, LiveSession>;
  aegisSessionsSubscribed?: Promise<unknown>;
  aegisHeartbeat?: ReturnType<typeof setInterval>;
};
const sessions = (state.aegisSessions ??= new Map());
setMetricSources({ liveSessions: () => sessions.size + cachedHttpSessionCount() });

export const digestKey = (key: string) => createHash('sha256').update(key, 'utf8').digest();

export function keyMatches(key: string, digest: Buffer | undefined): boolean {
  return Boolean(digest) && timingSafeEqual(digestKey(key), digest!);
}

/** The SSE session with this id, if this instance holds its stream. */
export function heldSseSession(id: string): LiveSession | undefined {
  return sessions.get(id);
}

/**
 * The SSE session held here that a message is for, only when the message carries the session's
 * key. Otherwise undefined, or — for a session that ended recently and whose key this is — the
 * reason it ended.
 */
export function sseSessionForMessage(id: string, key: string): LiveSession | { endedBecause: string } | undefined {
  const session = sessions.get(id);
  if (session) return keyMatches(key, session.messageKeyDigest) ? session : undefined;
  const gone = endedSession(id);
  if (gone && keyMatches(key, gone.messageKeyDigest)) return { endedBecause: gone.reason };
  return undefined;
}

export function liveSessionCount(): number {
  return sessions.size + cachedHttpSessionCount();
}

async function ready() {
  await (state.aegisSessionsSubscribed ??= subscribe(onEvent));
  state.aegisHeartbeat ??= startHeartbeat();
}

/**
 * Writes a new session's record, under the per-token cap, and returns its id and the user it acts
 * for (the author of its commits). `fields` are what only one transport records.
 */
async function recordNewSession(
  identity: AgentIdentity,
  fields: {
    transport: 'sse' | 'streamable-http';
    messageKeyDigest?: string;
    clientName?: string;
    clientVersion?: string;
    protocolVersion?: string | null;
  },
): Promise<{ id: string; user: { name: string; email: string } }> {
  await ready();
  await assertUnderSessionCap(identity.tokenDigest);
  const id = randomUUID();
  const user = await db.user.findUniqueOrThrow({ where: { id: identity.userId }, select: { name: true, email: true } });
  await db.agentSession.create({
    data: {
      id,
      roomId: identity.roomId,
      userId: identity.userId,
      role: identity.role,
      tokenDigest: identity.tokenDigest,
      ...fields,
    },
  });
  return { id, user };
}

/** Opens an SSE session for an authenticated agent: records it and builds its MCP server. */
export async function openSseSession(options: {
  identity: AgentIdentity;
  credentials: AgentCredentials;
  baseUrl: string;
  /** `messageKey` is what the stream announces in its message endpoint. */
  createTransport: (sessionId: string, messageKey: string) => Transport;
}): Promise<LiveSession> {
  const messageKey = randomBytes(32).toString('base64url');
  const messageKeyDigest = digestKey(messageKey);
  const { id, user } = await recordNewSession(options.identity, {
    transport: 'sse',
    messageKeyDigest: messageKeyDigest.toString('hex'),
  });
  const session: LiveSession = {
    id,
    identity: options.identity,
    credentials: options.credentials,
    transport: options.createTransport(id, messageKey),
    messageKeyDigest,
    lastRecordedActivity: Date.now(),
    ending: false,
    server: undefined as unknown as Server,
  };
  let clientName: string | undefined;
  session.server = createMcpServer(
    {
      sessionId: id,
      baseUrl: options.baseUrl,
      author: { name: user.name, email: user.email },
      get clientName() {
        return clientName;
      },
      authenticate: () => reauthenticate(session),
    },
    {
      onAuthLost: () => void endSession(id, 'credentials no longer valid'),
      onRequestStarted: (requestId) => {
        (session.inFlight ??= new Set()).add(requestId);
        return () => {
          session.inFlight?.delete(requestId);
          if (session.inFlight?.size === 0) session.inFlight = undefined;
        };
      },
    },
  );
  // The client is recorded from its initialize request (a relayed message may overtake the
  // "initialized" notification that follows it). The server chains this handler before its own.
  session.transport.onmessage = (message) => {
    const client = initializeClient(message);
    if (!client) return;
    clientName = client.name;
    void recordClient(id, client);
  };
  session.transport.onclose = () => void endSession(id, 'disconnected');
  sessions.set(id, session);
  await session.server.connect(session.transport);
  return session;
}

type ClientInfo = { name?: string; version?: string };

/** The client named by an initialize request, if the message is one. */
export function initializeClient(message: JSONRPCMessage | unknown): ClientInfo | undefined {
  const m = message as { method?: unknown; params?: { clientInfo?: { name?: unknown; version?: unknown } } };
  if (m?.method !== 'initialize') return undefined;
  const info = m.params?.clientInfo;
  return {
    name: typeof info?.name === 'string' ? info.name.slice(0, 200) : undefined,
    version: typeof info?.version === 'string' ? info.version.slice(0, 100) : undefined,
  };
}

async function recordClient(id: string, client: ClientInfo) {
  await db.agentSession
    .update({ where: { id }, data: { clientName: client.name, clientVersion: client.version } })
    .catch((error) => console.error('[aegis] could not record the client of a session', error));
}

/**
 * Opens a Streamable HTTP session: its record is the session, so any instance can serve its
 * next requests.
 */
export async function openHttpSession(options: { identity: AgentIdentity; initialize: unknown }): Promise<HttpSession> {
  const client = initializeClient(options.initialize) ?? {};
  const requested = (options.initialize as { params?: { protocolVersion?: unknown } }).params?.protocolVersion;
  const { id, user } = await recordNewSession(options.identity, {
    transport: 'streamable-http',
    clientName: client.name,
    clientVersion: client.version,
    protocolVersion: typeof requested === 'string' ? requested.slice(0, 40) : null,
  });
  const session: HttpSession = {
    id,
    userId: options.identity.userId,
    roomId: options.identity.roomId,
    role: options.identity.role,
    tokenDigest: options.identity.tokenDigest,
    author: user,
    clientName: client.name,
    lastRequestAt: Date.now(),
    lastRecordedActivity: Date.now(),
  };
  cacheHttpSession(session);
  return session;
}

/** A request of a Streamable HTTP session reached this instance. */
export async function touchHttpSession(session: HttpSession) {
  await ready();
  touch(session);
}

/** The SSE session's credentials, checked again (cached; see authenticate-agent). */
export async function reauthenticate(session: LiveSession): Promise<AgentIdentity> {
  const identity = await authenticateAgent(session.credentials);
  touch(session);
  return identity;
}

function touch(session: { id: string; lastRecordedActivity: number; lastRequestAt?: number }) {
  const now = Date.now();
  if ('lastRequestAt' in session) session.lastRequestAt = now;
  if (now - session.lastRecordedActivity < ACTIVITY_WRITE_INTERVAL_MS) return;
  session.lastRecordedActivity = now;
  void db.agentSession
    .update({ where: { id: session.id }, data: { lastActivityAt: new Date(now) } })
    .catch((error) => console.error('[aegis] could not record session activity', error));
}

/**
 * Ends a session: an SSE session held here closes its stream; any other session is ended in the
 * database and every instance is told (each answers the session's calls in flight there and
 * forgets it).
 */
export async function endSession(id: string, reason: string): Promise<void> {
  const live = sessions.get(id);
  if (live) return endSseSession(live, reason);
  await recordEnd(id, reason);
  await dropHttpSession(id, reason);
}

/**
 * Records the end of a session and tells every instance (they drop what they hold of it). Two
 * statements rather than a transaction: ends come in bursts (a rotation, a disconnecting crowd),
 * and a missed notification only delays what the record already says.
 */
async function recordEnd(id: string, reason: string) {
  try {
    const { count } = await db.agentSession.updateMany({
      where: { id, endedAt: null },
      data: { endedAt: new Date(), endReason: reason, lastActivityAt: new Date() },
    });
    if (count > 0) await publish({ type: 'session.disconnect', sessionId: id, reason });
  } catch (error) {
    console.error('[aegis] could not record the end of a session', error);
  }
}

/** The end of a session reached this instance (from any instance). */
async function endHeldSession(id: string, reason: string) {
  const live = sessions.get(id);
  if (live) await endSseSession(live, reason);
  else await dropHttpSession(id, reason);
}

async function endSseSession(session: LiveSession, reason: string): Promise<void> {
  if (session.ending) return;
  session.ending = true;
  sessions.delete(session.id);
  rememberEndedSession(session.id, {
    reason,
    userId: session.identity.userId,
    messageKeyDigest: session.messageKeyDigest,
  });
  await recordEnd(session.id, reason);
  await answerRequestsInFlight(session, reason);
  await session.server.close().catch(() => {});
}

/**
 * Closing the session aborts the handlers of requests still in flight, whose answers would then
 * never be sent: the agent would wait forever. Each gets an error saying why instead, on the
 * stream it is waiting on, before the session closes.
 */
async function answerRequestsInFlight(session: LiveSession, reason: string) {
  for (const requestId of session.inFlight ?? []) {
    await session.transport.send(sessionEndedError(requestId, reason)).catch(() => {});
  }
  session.inFlight = undefined;
}

const TOKEN_NOT_VALID = 'The access token is not valid for this room (it may have been rotated)';

const GRANT_DIGEST_PREFIX = 'oauth-grant:';
const grantIdOf = (tokenDigest: string) => tokenDigest.slice(GRANT_DIGEST_PREFIX.length);

async function endSessionsThatFailAuthentication(roomId: string) {
  for (const session of [...sessions.values()]) {
    if (session.identity.roomId !== roomId) continue;
    try {
      await authenticateAgent(session.credentials);
    } catch (error) {
      await endSession(session.id, isAppError(error) ? error.message : 'credentials could not be checked');
    }
  }
  // Streamable HTTP sessions are checked from their records, wherever they were opened: those the
  // change ended already (rotation, removal and archiving end them in the same transaction) are
  // dropped here, and each open one must still match its member's current token and role.
  const cachedHere = [...cachedHttpSessions()].filter((s) => s.roomId === roomId).map((s) => s.id);
  const [room, members, records] = await Promise.all([
    db.room.findUnique({ where: { id: roomId }, select: { archivedAt: true } }),
    db.member.findMany({ where: { roomId }, select: { userId: true, role: true, tokenDigest: true } }),
    db.agentSession.findMany({
      where: { roomId, transport: 'streamable-http', OR: [{ endedAt: null }, { id: { in: cachedHere } }] },
      select: { id: true, userId: true, role: true, tokenDigest: true, endedAt: true, endReason: true },
    }),
  ]);
  // Sessions of OAuth grants hold the grant, not a member token: it must stand, and its role (capped
  // when the member was demoted) must still cover the session's.
  const grantIds = records.flatMap((r) =>
    r.tokenDigest.startsWith(GRANT_DIGEST_PREFIX) ? [grantIdOf(r.tokenDigest)] : [],
  );
  const grants = grantIds.length
    ? await db.oAuthGrant.findMany({
        where: { id: { in: grantIds }, revokedAt: null },
        select: { id: true, userId: true, role: true },
      })
    : [];
  for (const session of records) {
    const grant = session.tokenDigest.startsWith(GRANT_DIGEST_PREFIX)
      ? grants.find((g) => g.id === grantIdOf(session.tokenDigest) && g.userId === session.userId)
      : undefined;
    const member = session.tokenDigest.startsWith(GRANT_DIGEST_PREFIX)
      ? grant && members.find((m) => m.userId === session.userId)
      : members.find((m) => m.tokenDigest === session.tokenDigest && m.userId === session.userId);
    const allowed = member && (grant && roleAtLeast(member.role, grant.role) ? grant.role : member.role);
    if (session.endedAt) await dropHttpSession(session.id, session.endReason ?? TOKEN_NOT_VALID);
    else if (!room || room.archivedAt || !member || !allowed) await endSession(session.id, TOKEN_NOT_VALID);
    else if (!roleAtLeast(allowed, session.role)) {
      await endSession(
        session.id,
        `The requested role ${session.role} is above what this agent may now act as (${allowed})`,
      );
    }
  }
}

function onEvent(event: AegisEvent) {
  if (event.type === 'room.token_rotated' || event.type === 'room.archived' || event.type === 'room.members_changed') {
    void endSessionsThatFailAuthentication(event.roomId).catch((error) =>
      console.error('[aegis] could not check the sessions of a room', error),
    );
  } else if (event.type === 'session.disconnect') {
    void endHeldSession(event.sessionId, event.reason);
  } else if (event.type === 'bus.reset') {
    // Ends announced while the bus was down were missed: cached records are reloaded when used.
    dropIdleRecords(Number.POSITIVE_INFINITY);
  }
}

/** At most AEGIS_MAX_SESSIONS_PER_TOKEN live sessions per member token, across instances. */
async function assertUnderSessionCap(tokenDigest: string) {
  const max = config().AEGIS_MAX_SESSIONS_PER_TOKEN;
  const open = await db.agentSession.count({
    where: { tokenDigest, endedAt: null, heartbeatAt: { gt: liveSessionCutoff() } },
  });
  if (open >= max) {
    throw new AppError(
      'too_many_sessions',
      `This access token already has ${max} open sessions, the most allowed: close some agents first`,
    );
  }
}

/**
 * Streamable HTTP clients may go away without a DELETE; their sessions would otherwise count as
 * connected forever. One with no request, no call running and no stream open anywhere for the idle
 * time is ended. The idle time is never shorter than the longest approval wait (so a waiting agent
 * is not mistaken for a gone one), nor than two heartbeats plus the activity write interval (so
 * activity another instance has not written yet is not mistaken for idleness).
 */
async function reapIdleSessions(now: number) {
  const env = config();
  const idleMs = Math.max(env.AEGIS_MCP_SESSION_IDLE_SECONDS, env.AEGIS_APPROVAL_WAIT_SECONDS + 5) * 1000;
  const cutoff = new Date(
    now - Math.max(idleMs, 2 * env.AEGIS_SESSION_HEARTBEAT_SECONDS * 1000 + ACTIVITY_WRITE_INTERVAL_MS),
  );
  const idle = await db.agentSession.findMany({
    where: { transport: 'streamable-http', endedAt: null, lastActivityAt: { lt: cutoff } },
    select: { id: true },
    take: 1000,
  });
  const reason = `idle: no request for ${Math.round(idleMs / 1000)} s`;
  for (const { id } of idle) {
    const { count } = await db.agentSession.updateMany({
      where: { id, endedAt: null, lastActivityAt: { lt: cutoff } },
      data: { endedAt: new Date(), endReason: reason },
    });
    if (count > 0) await publish({ type: 'session.disconnect', sessionId: id, reason });
  }
}

/**
 * Keeps the sessions this instance serves counted as connected (room page, caps) with one write
 * for all of them, keeps busy ones from being reaped, forgets records not used for a while, and
 * reaps the abandoned sessions.
 */
async function beat() {
  const env = config();
  const now = Date.now();
  const idleMs = Math.max(env.AEGIS_MCP_SESSION_IDLE_SECONDS, env.AEGIS_APPROVAL_WAIT_SECONDS + 5) * 1000;
  dropIdleRecords(now - idleMs);
  const held = [...sessions.keys()];
  const busy: string[] = [];
  for (const session of cachedHttpSessions()) {
    held.push(session.id);
    if (activeHere(session)) busy.push(session.id);
  }
  if (held.length > 0) {
    await db.agentSession.updateMany({
      where: { id: { in: held }, endedAt: null },
      data: { heartbeatAt: new Date(now) },
    });
  }
  if (busy.length > 0) {
    await db.agentSession.updateMany({
      where: { id: { in: busy }, endedAt: null },
      data: { lastActivityAt: new Date(now) },
    });
  }
  await reapIdleSessions(now);
}

function startHeartbeat(): ReturnType<typeof setInterval> {
  const timer = setInterval(
    () => void beat().catch((error) => console.error('[aegis] could not refresh session heartbeats', error)),
    config().AEGIS_SESSION_HEARTBEAT_SECONDS * 1000,
  );
  timer.unref?.();
  return timer;
}
