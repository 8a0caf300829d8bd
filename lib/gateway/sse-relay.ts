// HTTP+SSE messages that reach another instance than the one holding the session's stream. The
// stream (and so the session's MCP server) lives on one instance; a load balancer without affinity
// sends the session's `POST /sse/message` anywhere. The instance that receives it checks the
// session key against the session's record, then relays the message over PostgreSQL NOTIFY; the
// holder takes it as if it had been POSTed there, and the answer travels back on the stream.
//
// A NOTIFY payload is limited to 8000 bytes: a larger message goes through a RelayedMessage row and
// the notification carries the row's id. The single-instance path never comes here: a message for
// a session held by the receiving instance is delivered directly (lib/gateway/http-handlers.ts).
import { db } from '../db';
import { isAppError } from '../errors';
import { publish, subscribe, type AegisEvent } from '../events/event-bus';
import { liveSessionCutoff } from '../sessions/agent-sessions';
import { endSession, heldSseSession, keyMatches, reauthenticate } from './agent-sessions';
import { endedSession, rememberEndedSession, sessionEndedError } from './ended-sessions';
import type { WebSseServerTransport } from './web-sse-transport';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; leave room for the envelope. */
const NOTIFY_PAYLOAD_LIMIT = 7900;
/** How long a checked session record is trusted before it is read again (ends arrive as events). */
const TARGET_CACHE_MS = 5_000;
const TARGET_CACHE_MAX = 50_000;
/** Rows the holder never took (it died) are removed after this long. */
const RELAYED_ROW_TTL_MS = 5 * 60_000;

type Target = { digest: Buffer; checkedAt: number };

const state = globalThis as unknown as {
  aegisRelayTargets?: Map<string, Target>;
  aegisRelaySubscribed?: Promise<unknown>;
};
const targets = (state.aegisRelayTargets ??= new Map());

/** Starts taking relayed messages for the SSE sessions this instance holds. */
export async function listenForRelayedMessages() {
  await (state.aegisRelaySubscribed ??= subscribe(onEvent));
}

/**
 * Is there a live SSE session held by another instance that this key opens? 'ok', or — for an
 * ended session whose key this is — why it ended; undefined when the key opens nothing.
 */
export async function relayTarget(id: string, key: string): Promise<'ok' | { endedBecause: string } | undefined> {
  await listenForRelayedMessages();
  const gone = endedSession(id);
  if (gone) return keyMatches(key, gone.messageKeyDigest) ? { endedBecause: gone.reason } : undefined;
  let target = targets.get(id);
  if (!target || Date.now() - target.checkedAt > TARGET_CACHE_MS) {
    targets.delete(id);
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const record = await db.agentSession.findUnique({
      where: { id },
      select: {
        transport: true,
        userId: true,
        messageKeyDigest: true,
        endedAt: true,
        endReason: true,
        heartbeatAt: true,
      },
    });
    if (!record || record.transport !== 'sse' || !record.messageKeyDigest) return undefined;
    const digest = Buffer.from(record.messageKeyDigest, 'hex');
    if (!keyMatches(key, digest)) return undefined;
    if (record.endedAt) {
      const reason = record.endReason ?? 'ended';
      rememberEndedSession(id, { reason, userId: record.userId, messageKeyDigest: digest });
      return { endedBecause: reason };
    }
    // The holder refreshes its sessions every heartbeat; an instance that stopped doing so is gone,
    // and its streams with it.
    if (record.heartbeatAt < liveSessionCutoff()) {
      return { endedBecause: 'the instance holding its stream stopped' };
    }
    if (targets.size >= TARGET_CACHE_MAX) targets.clear();
    target = { digest, checkedAt: Date.now() };
    targets.set(id, target);
    return 'ok';
  }
  return keyMatches(key, target.digest) ? 'ok' : undefined;
}

type RelayEvent = Extract<AegisEvent, { type: 'session.message' }>;

/** Sends a checked message to the instance holding the session's stream. */
export async function relayMessage(sessionId: string, message: unknown): Promise<void> {
  const event: RelayEvent = { type: 'session.message', sessionId, message };
  if (Buffer.byteLength(JSON.stringify(event), 'utf8') <= NOTIFY_PAYLOAD_LIMIT) {
    await publish(event);
    return;
  }
  await db.$transaction(async (tx) => {
    // Rows whose holder died before taking them go with the next large message.
    await tx.relayedMessage.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - RELAYED_ROW_TTL_MS) } } });
    const row = await tx.relayedMessage.create({
      data: { sessionId, body: JSON.stringify(message) },
      select: { id: true },
    });
    await publish({ type: 'session.message', sessionId, relayId: row.id }, tx);
  });
}

function onEvent(event: AegisEvent) {
  if (event.type === 'session.message') {
    void deliverRelayed(event).catch((error) => console.error('[aegis] could not deliver a relayed message', error));
  } else if (event.type === 'session.disconnect') {
    targets.delete(event.sessionId);
  } else if (
    event.type === 'bus.reset' ||
    event.type === 'room.token_rotated' ||
    event.type === 'room.archived' ||
    event.type === 'room.members_changed'
  ) {
    // These end sessions in their records without a session.disconnect: check records afresh.
    targets.clear();
  }
}

/** On the holder: the relayed message, checked like a POST received here, goes to the session. */
async function deliverRelayed(event: RelayEvent) {
  const session = heldSseSession(event.sessionId);
  if (!session) return;
  let message = event.message;
  if (event.relayId) {
    const row = await db.relayedMessage
      .delete({ where: { id: event.relayId }, select: { body: true } })
      .catch(() => null);
    if (!row) return;
    message = JSON.parse(row.body);
  }
  try {
    await reauthenticate(session);
  } catch (error) {
    // The POST was accepted elsewhere: a request is answered on the stream, saying why.
    const reason = isAppError(error) ? error.message : 'Aegis could not check the credentials; nothing was done';
    const request = message as { id?: string | number; method?: unknown };
    if (request.method !== undefined && request.id !== undefined) {
      await session.transport.send(sessionEndedError(request.id, reason)).catch(() => {});
    }
    if (isAppError(error)) await endSession(session.id, reason);
    return;
  }
  try {
    (session.transport as WebSseServerTransport).receive(message);
  } catch {
    // checked by the relaying instance already
  }
}
