// The agent sessions this instance holds: one MCP connection each, over SSE or Streamable HTTP.
// Each is recorded in the database (room page, session page); token rotation, archiving, member
// changes and "disconnect" from any instance reach here as events and end the affected sessions.
import { randomUUID } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { db } from '../db';
import { isAppError } from '../errors';
import { subscribe, type AegisEvent } from '../events/event-bus';
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
  lastRecordedActivity: number;
  ending: boolean;
};

const ACTIVITY_WRITE_INTERVAL_MS = 15_000;
export const HEARTBEAT_INTERVAL_MS = 60_000;

const state = globalThis as unknown as {
  aegisSessions?: Map<string, LiveSession>;
  aegisSessionsSubscribed?: Promise<unknown>;
};
const sessions = (state.aegisSessions ??= new Map());

export function liveSession(id: string): LiveSession | undefined {
  return sessions.get(id);
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
  createTransport: (sessionId: string) => Transport;
}): Promise<LiveSession> {
  await (state.aegisSessionsSubscribed ??= subscribe(onEvent));
  const id = options.sessionId ?? randomUUID();
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
    transport: options.createTransport(id),
    lastRecordedActivity: Date.now(),
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
  await db.agentSession
    .updateMany({
      where: { id, endedAt: null },
      data: { endedAt: new Date(), endReason: reason, lastActivityAt: new Date() },
    })
    .catch((error) => console.error('[aegis] could not record the end of a session', error));
  await session.server.close().catch(() => {});
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
