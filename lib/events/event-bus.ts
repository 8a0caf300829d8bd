// Events between Aegis instances (and within one): token rotations, approval decisions, messages
// for sessions, all over PostgreSQL LISTEN/NOTIFY. Every instance holds one listening connection;
// publishing is a NOTIFY, which also reaches the publishing instance, so there is one path only.
import pg from 'pg';
import { config } from '../config';
import { metrics } from '../metrics/metrics';
import { listenerOptions } from '../database-options';

const CHANNEL = 'aegis_events';

export type AegisEvent =
  | { type: 'room.token_rotated'; roomId: string }
  | { type: 'room.archived'; roomId: string }
  | { type: 'room.members_changed'; roomId: string }
  // default/protected branches, the agent branch pattern or the repository credentials changed
  | { type: 'room.settings_changed'; roomId: string }
  // an instance pushed to the room's repository: other instances' mirrors must fetch before reading
  | { type: 'room.repository_changed'; roomId: string; instance: string }
  | { type: 'session.disconnect'; sessionId: string; reason: string }
  // an SSE message for a session whose stream another instance holds (lib/gateway/sse-relay.ts):
  // the message itself, or the id of the RelayedMessage row holding it when too large for NOTIFY
  | { type: 'session.message'; sessionId: string; message?: unknown; relayId?: string }
  | { type: 'approval.changed'; approvalId: string; roomId: string; status: string }
  | { type: 'policy.changed'; roomId: string }
  // a webhook delivery was queued (sent on commit): workers look for due deliveries
  | { type: 'webhook.queued' }
  // the listening connection was lost: events may have been missed, so caches must be dropped
  | { type: 'bus.reset' };

type Listener = (event: AegisEvent) => void;

const state = globalThis as unknown as {
  aegisEventListeners?: Set<Listener>;
  aegisEventClient?: Promise<pg.Client>;
};
const listeners = (state.aegisEventListeners ??= new Set());

async function connectListener(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: config().DATABASE_URL, ...listenerOptions() });
  client.on('notification', (message) => {
    if (message.channel !== CHANNEL || !message.payload) return;
    let event: AegisEvent;
    try {
      event = JSON.parse(message.payload);
    } catch {
      return;
    }
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('[aegis] event listener failed', error);
      }
    }
  });
  client.on('error', (error) => {
    client.end().catch(() => {});
    console.error('[aegis] event connection lost; reconnecting', error.message);
    state.aegisEventClient = undefined;
    metrics().eventBusReconnects.inc();
    for (const listener of listeners) listener({ type: 'bus.reset' });
    reconnectSoon();
  });
  await client.connect();
  await client.query(`LISTEN ${CHANNEL}`);
  return client;
}

const RECONNECT_DELAY_MS = 1000;

/** Retries the listening connection until it is back (the database may be restarting). */
function reconnectSoon() {
  const timer = setTimeout(() => {
    ensureListening().catch((error) => {
      console.error('[aegis] event connection still down; retrying', error instanceof Error ? error.message : error);
      reconnectSoon();
    });
  }, RECONNECT_DELAY_MS);
  timer.unref?.();
}

export function ensureListening(): Promise<pg.Client> {
  state.aegisEventClient ??= connectListener().catch((error) => {
    state.aegisEventClient = undefined;
    throw error;
  });
  return state.aegisEventClient;
}

/** Subscribes to every event on every instance; returns the unsubscribe function. */
export async function subscribe(listener: Listener): Promise<() => void> {
  listeners.add(listener);
  await ensureListening();
  return () => listeners.delete(listener);
}

/** Publishes an event through PostgreSQL (pass a transaction client to publish on commit). */
export async function publish(
  event: AegisEvent,
  client?: { $executeRaw: (q: TemplateStringsArray, ...v: unknown[]) => Promise<unknown> },
) {
  const payload = JSON.stringify(event);
  if (client) {
    await client.$executeRaw`SELECT pg_notify(${CHANNEL}, ${payload})`;
  } else {
    const { db } = await import('../db');
    await db.$executeRaw`SELECT pg_notify(${CHANNEL}, ${payload})`;
  }
}
