// Streamable HTTP sessions as any instance sees them. The session lives in its database record
// (who opened it: member token digest, role; the client; the protocol version), not in an
// instance's memory, so a round-robin load balancer may send each request anywhere: every request
// is served by a fresh MCP server and a stateless SDK transport, after checking that the request's
// own credentials are the ones that opened the session.
//
// Each instance caches the records it has served (a small object per session, so 10,000 idle
// sessions cost little) and drops them when a session ends anywhere (the event bus) or when it
// has not served them for a while. Requests in flight and open GET streams are tracked here only
// while they exist, so that ending a session answers the former and closes the latter.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { db } from '../db';
import type { Role } from '../generated/prisma/enums';
import type { AgentIdentity } from './authenticate-agent';
import { endedSession, rememberEndedSession, sessionEndedError } from './ended-sessions';

export type HttpSession = {
  id: string;
  userId: string;
  roomId: string;
  role: Role;
  tokenDigest: string;
  author: { name: string; email: string };
  clientName?: string;
  /** When this instance last served a request of the session. */
  lastRequestAt: number;
  /** When this instance last wrote the session's activity to the database. */
  lastRecordedActivity: number;
  /** Requests whose handler runs on this instance, with the transport that answers each. */
  inFlight?: Map<RequestId, Transport>;
  /** GET streams the client holds open on this instance. */
  streams?: Set<ReadableStreamDefaultController<Uint8Array>>;
};

const state = globalThis as unknown as {
  aegisHttpSessions?: Map<string, HttpSession>;
  aegisStreamKeepAlive?: ReturnType<typeof setInterval>;
};
const cached = (state.aegisHttpSessions ??= new Map());

const KEEP_ALIVE_MS = 15_000;
const KEEP_ALIVE = new TextEncoder().encode(': keep-alive\n\n');

/**
 * Comments on every open GET stream keep idle connections open through proxies: one timer for
 * all of them, not one per session.
 */
function keepStreamsAlive() {
  state.aegisStreamKeepAlive ??= setInterval(() => {
    for (const session of cached.values()) {
      for (const controller of session.streams ?? []) {
        try {
          controller.enqueue(KEEP_ALIVE);
        } catch {
          session.streams?.delete(controller);
        }
      }
    }
  }, KEEP_ALIVE_MS);
  state.aegisStreamKeepAlive.unref?.();
}

const MAX_CACHED = 100_000;

export function cacheHttpSession(session: HttpSession) {
  // A bound, not an eviction policy: records are reloaded from the database when needed.
  if (cached.size >= MAX_CACHED) dropIdleRecords(Date.now());
  cached.set(session.id, session);
}

/** Is this the identity the session was opened with (same member token, same role)? */
export function sameAgent(session: Pick<HttpSession, 'tokenDigest' | 'role' | 'userId'>, identity: AgentIdentity) {
  return (
    session.tokenDigest === identity.tokenDigest && session.role === identity.role && session.userId === identity.userId
  );
}

/**
 * The live session with this id, from this instance's cache or else the database (a session
 * opened on another instance); for a session that ended, why (to the user who opened it only).
 */
export async function findHttpSession(
  id: string,
  userId: string,
): Promise<HttpSession | { endedBecause: string } | undefined> {
  const hit = cached.get(id);
  if (hit) return hit;
  const gone = endedSession(id);
  if (gone) return gone.userId === userId ? { endedBecause: gone.reason } : undefined;
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const record = await db.agentSession.findUnique({
    where: { id },
    select: {
      transport: true,
      userId: true,
      roomId: true,
      role: true,
      tokenDigest: true,
      clientName: true,
      endedAt: true,
      endReason: true,
    },
  });
  if (!record || record.transport !== 'streamable-http') return undefined;
  if (record.endedAt) {
    const reason = record.endReason ?? 'ended';
    rememberEndedSession(id, { reason, userId: record.userId });
    return record.userId === userId ? { endedBecause: reason } : undefined;
  }
  const user = await db.user.findUnique({ where: { id: record.userId }, select: { name: true, email: true } });
  if (!user) return undefined;
  // Another request may have loaded it meanwhile: keep one record, so in-flight tracking is shared.
  const again = cached.get(id);
  if (again) return again;
  const session: HttpSession = {
    id,
    userId: record.userId,
    roomId: record.roomId,
    role: record.role,
    tokenDigest: record.tokenDigest,
    author: user,
    clientName: record.clientName ?? undefined,
    lastRequestAt: Date.now(),
    lastRecordedActivity: 0,
  };
  cacheHttpSession(session);
  return session;
}

export function cachedHttpSession(id: string): HttpSession | undefined {
  return cached.get(id);
}

export function cachedHttpSessions(): IterableIterator<HttpSession> {
  return cached.values();
}

export function cachedHttpSessionCount(): number {
  return cached.size;
}

/** Tracks a request whose handler runs here; the returned function ends the tracking. */
export function trackRequest(session: HttpSession, requestId: RequestId, transport: Transport): () => void {
  (session.inFlight ??= new Map()).set(requestId, transport);
  return () => {
    if (session.inFlight?.get(requestId) !== transport) return;
    session.inFlight.delete(requestId);
    if (session.inFlight.size === 0) session.inFlight = undefined;
  };
}

/**
 * The GET stream of a session: Aegis sends no server-initiated messages, so it carries nothing but
 * its end; it keeps the client listening (and the session from being reaped as abandoned).
 */
export function openGetStream(session: HttpSession, signal: AbortSignal): ReadableStream<Uint8Array> {
  let held: ReadableStreamDefaultController<Uint8Array> | undefined;
  const release = () => {
    if (!held) return;
    session.streams?.delete(held);
    if (session.streams?.size === 0) session.streams = undefined;
    held = undefined;
  };
  keepStreamsAlive();
  const stream = new ReadableStream<Uint8Array>({
    start: (controller) => {
      held = controller;
      (session.streams ??= new Set()).add(controller);
      // A comment line first, so proxies pass the headers on at once.
      controller.enqueue(new TextEncoder().encode(': stream open\n\n'));
    },
    cancel: release,
  });
  signal.addEventListener(
    'abort',
    () => {
      if (held) {
        try {
          held.close();
        } catch {
          // already closed
        }
      }
      release();
    },
    { once: true },
  );
  return stream;
}

/** Is the session busy on this instance (a call running, a stream open)? */
export function activeHere(session: HttpSession): boolean {
  return Boolean(session.inFlight?.size || session.streams?.size);
}

/**
 * The session ended (here or on another instance): answers its requests in flight here, closes
 * its streams and forgets it.
 */
export async function dropHttpSession(id: string, reason: string) {
  const session = cached.get(id);
  if (!session) return;
  cached.delete(id);
  rememberEndedSession(id, { reason, userId: session.userId });
  const inFlight = session.inFlight;
  session.inFlight = undefined;
  for (const [requestId, transport] of inFlight ?? []) {
    await transport.send(sessionEndedError(requestId, reason)).catch(() => {});
    await transport.close().catch(() => {});
  }
  for (const controller of session.streams ?? []) {
    try {
      controller.close();
    } catch {
      // already closed
    }
  }
  session.streams = undefined;
}

/** Forgets records this instance has not used for a while (they are reloaded when needed). */
export function dropIdleRecords(cutoff: number) {
  for (const session of cached.values()) {
    if (session.lastRequestAt < cutoff && !activeHere(session)) cached.delete(session.id);
  }
}
