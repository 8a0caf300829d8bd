// The agent sessions this instance holds: one MCP connection each, over SSE or Streamable HTTP.
// Each is recorded in the database (room page, session page) and kept fresh by a heartbeat; token
// rotation, archiving, member changes and "disconnect" from any instance reach here as events and
// end the affected sessions.
//
// A session is bound to what opened it: an SSE session's messages must carry the key its stream
// announced (the id shown on pages grants nothing), and a Streamable HTTP session answers only the
// same token and role that initialised it.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { config } from '../config';
import { db } from '../db';
import { AppError, isAppError } from '../errors';
import { subscribe, type AegisEvent } from '../events/event-bus';
import { liveSessionCutoff } from '../sessions/agent-sessions';
import { setMetricSources } from '../metrics/metrics';
import type { AgentCredentials } from './agent-credentials';
import { authenticateAgent, type AgentIdentity } from './authenticate-agent';
import { createMcpServer } from './mcp-server';

export type TransportKind = 'sse' | 'streamable-http';

export type LiveSession = {
  id: string;
  kind: TransportKind;
  identity: AgentIdentity;
  credentials: AgentCredentials;
  server: Server;
  transport: Transport;
  /** SSE only: digest of the key in the message endpoint the stream announced. */
  messageKeyDigest?: Buffer;
  lastRecordedActivity: number;
  /** When this instance last received a request for the session (Streamable HTTP reaping). */
  lastRequestAt: number;
  /** Streams the client holds open (Streamable HTTP GET): while any is, the session is not idle. */
  openStreams: number;
  /** Requests whose handler is running (absent while idle, so idle sessions stay small). */
  inFlight?: Set<RequestId>;
  ending: boolean;
};

/** The JSON-RPC error code of a request cut short by the end of its session. */
export const SESSION_ENDED_CODE = -32001;

const ACTIVITY_WRITE_INTERVAL_MS = 15_000;

/** How long a session's end (and why) is remembered, so its agent is told why instead of "unknown". */
const ENDED_MEMORY_MS = 10 * 60_000;
const ENDED_MEMORY_MAX = 10_000;

type EndedSession = { reason: string; userId: string; messageKeyDigest?: Buffer; at: number };

const state = globalThis as unknown as {
  aegisSessions?: Map<string, LiveSession>;
  aegisEndedSessions?: Map<string, EndedSession>;
  aegisSessionsSubscribed?: Promise<unknown>;
  aegisHeartbeat?: ReturnType<typeof setInterval>;
};
const sessions = (state.aegisSessions ??= new Map());
setMetricSources({ liveSessions: () => sessions.size });
const ended = (state.aegisEndedSessions ??= new Map());

const digestKey = (key: string) => createHash('sha256').update(key, 'utf8').digest();

function keyMatches(key: string, digest: Buffer | undefined): boolean {
  return Boolean(digest) && timingSafeEqual(digestKey(key), digest!);
}

/** A Streamable HTTP session, if this identity is the one that opened it. */
export function liveSession(id: string): LiveSession | undefined {
  return sessions.get(id);
}

/**
 * The SSE session a message is for, only when the message carries the session's key. Otherwise
 * undefined, or — for a session that ended recently and whose key this is — the reason it ended.
 */
export function sseSessionForMessage(id: string, key: string): LiveSession | { endedBecause: string } | undefined {
  const session = sessions.get(id);
  if (session) return session.kind === 'sse' && keyMatches(key, session.messageKeyDigest) ? session : undefined;
  const gone = ended.get(id);
  if (gone && Date.now() - gone.at < ENDED_MEMORY_MS && keyMatches(key, gone.messageKeyDigest)) {
    return { endedBecause: gone.reason };
  }
  return undefined;
}

/** Why a Streamable HTTP session of this user ended, if it did recently. */
export function endedSessionReason(id: string, userId: string): string | undefined {
  const gone = ended.get(id);
  return gone && gone.userId === userId && Date.now() - gone.at < ENDED_MEMORY_MS ? gone.reason : undefined;
}

/** Is this the identity a session was opened with (same member token, same role)? */
export function sameAgent(session: LiveSession, identity: AgentIdentity): boolean {
  const a = session.identity;
  return a.tokenDigest === identity.tokenDigest && a.role === identity.role && a.userId === identity.userId;
}

export function liveSessionCount(): number {
  return sessions.size;
}

/** Opens a session for an authenticated agent: records it and builds its MCP server. */
export async function openSession(options: {
  kind: TransportKind;
  identity: AgentIdentity;
  credentials: AgentCredentials;
  baseUrl: string;
  sessionId?: string;
  /** SSE: `messageKey` is what the stream announces in its message endpoint. */
  createTransport: (sessionId: string, messageKey: string) => Transport;
}): Promise<LiveSession> {
  await (state.aegisSessionsSubscribed ??= subscribe(onEvent));
  state.aegisHeartbeat ??= startHeartbeat();
  await assertUnderSessionCap(options.identity.tokenDigest);
  const id = options.sessionId ?? randomUUID();
  const messageKey = randomBytes(32).toString('base64url');
  const user = await db.user.findUniqueOrThrow({
    where: { id: options.identity.userId },
    select: { name: true, email: true },
  });
  await db.agentSession.create({
    data: {
      id,
      roomId: options.identity.roomId,
      userId: options.identity.userId,
      role: options.identity.role,
      transport: options.kind,
      tokenDigest: options.identity.tokenDigest,
    },
  });
  const session: LiveSession = {
    id,
    kind: options.kind,
    identity: options.identity,
    credentials: options.credentials,
    transport: options.createTransport(id, messageKey),
    messageKeyDigest: options.kind === 'sse' ? digestKey(messageKey) : undefined,
    lastRecordedActivity: Date.now(),
    lastRequestAt: Date.now(),
    openStreams: 0,
    ending: false,
    server: undefined as unknown as Server,
  };
  session.server = createMcpServer(
    {
      sessionId: id,
      baseUrl: options.baseUrl,
      author: { name: user.name, email: user.email },
      get clientName() {
        return session.server.getClientVersion()?.name;
      },
      authenticate: () => reauthenticate(session),
    },
    {
      onInitialized: (client) => {
        void db.agentSession
          .update({
            where: { id },
            data: { clientName: client.name?.slice(0, 200), clientVersion: client.version?.slice(0, 100) },
          })
          .catch((error) => console.error('[aegis] could not record the client of a session', error));
      },
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
  session.transport.onclose = () => void endSession(id, 'disconnected');
  sessions.set(id, session);
  await session.server.connect(session.transport);
  return session;
}

/** The session's credentials, checked again (cached; see authenticate-agent). */
export async function reauthenticate(session: LiveSession): Promise<AgentIdentity> {
  const identity = await authenticateAgent(session.credentials);
  touch(session);
  return identity;
}

function touch(session: LiveSession) {
  const now = Date.now();
  session.lastRequestAt = now;
  if (now - session.lastRecordedActivity < ACTIVITY_WRITE_INTERVAL_MS) return;
  session.lastRecordedActivity = now;
  void db.agentSession
    .update({ where: { id: session.id }, data: { lastActivityAt: new Date(now) } })
    .catch((error) => console.error('[aegis] could not record session activity', error));
}

/** Ends a session held by this instance: closes its transport and records why. */
export async function endSession(id: string, reason: string): Promise<void> {
  const session = sessions.get(id);
  if (!session || session.ending) return;
  session.ending = true;
  sessions.delete(id);
  if (ended.size >= ENDED_MEMORY_MAX) ended.clear();
  ended.set(id, {
    reason,
    userId: session.identity.userId,
    messageKeyDigest: session.messageKeyDigest,
    at: Date.now(),
  });
  await db.agentSession
    .updateMany({
      where: { id, endedAt: null },
      data: { endedAt: new Date(), endReason: reason, lastActivityAt: new Date() },
    })
    .catch((error) => console.error('[aegis] could not record the end of a session', error));
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
    await session.transport
      .send({
        jsonrpc: '2.0',
        id: requestId,
        error: {
          code: SESSION_ENDED_CODE,
          message: `session_ended: This session ended (${reason}) before this call was answered; the room's audit log records whether it ran`,
        },
      })
      .catch(() => {});
  }
  session.inFlight = undefined;
}

async function endSessionsThatFailAuthentication(roomId: string) {
  for (const session of [...sessions.values()]) {
    if (session.identity.roomId !== roomId) continue;
    try {
      await authenticateAgent(session.credentials);
    } catch (error) {
      await endSession(session.id, isAppError(error) ? error.message : 'credentials could not be checked');
    }
  }
}

function onEvent(event: AegisEvent) {
  if (event.type === 'room.token_rotated' || event.type === 'room.archived' || event.type === 'room.members_changed') {
    void endSessionsThatFailAuthentication(event.roomId);
  } else if (event.type === 'session.disconnect') {
    void endSession(event.sessionId, event.reason);
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
 * Counts a stream the client holds open on a session (a Streamable HTTP GET) until `signal`
 * aborts: a client listening for notifications is not idle, however long it sends nothing.
 */
export function holdStreamOpen(session: LiveSession, signal: AbortSignal) {
  session.openStreams += 1;
  signal.addEventListener('abort', () => (session.openStreams -= 1), { once: true });
}

/**
 * Streamable HTTP clients may go away without a DELETE; their sessions would otherwise live (and
 * hold memory) forever. SSE sessions end with their stream and need no reaping. The idle time is
 * never shorter than the longest approval wait, so a waiting agent is not mistaken for a gone one.
 */
function reapIdleSessions() {
  const env = config();
  const idleMs = Math.max(env.AEGIS_MCP_SESSION_IDLE_SECONDS, env.AEGIS_APPROVAL_WAIT_SECONDS + 5) * 1000;
  const cutoff = Date.now() - idleMs;
  for (const session of sessions.values()) {
    if (session.kind === 'streamable-http' && session.openStreams <= 0 && session.lastRequestAt < cutoff) {
      void endSession(session.id, `idle: no request for ${Math.round(idleMs / 1000)} s`);
    }
  }
}

/**
 * Keeps this instance's sessions counted as connected (room page, caps) with one write for all of
 * them, and reaps the abandoned ones.
 */
function startHeartbeat(): ReturnType<typeof setInterval> {
  const timer = setInterval(() => {
    reapIdleSessions();
    const ids = [...sessions.keys()];
    if (ids.length === 0) return;
    void db.agentSession
      .updateMany({ where: { id: { in: ids }, endedAt: null }, data: { heartbeatAt: new Date() } })
      .catch((error) => console.error('[aegis] could not refresh session heartbeats', error));
  }, config().AEGIS_SESSION_HEARTBEAT_SECONDS * 1000);
  timer.unref?.();
  return timer;
}
