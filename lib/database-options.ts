// Connection options for PostgreSQL, so that a stalled or overloaded database fails calls fast
// with a clear error instead of hanging them (and, with them, agents and approval waits):
// - connecting gives up after AEGIS_DB_CONNECT_TIMEOUT_MS;
// - the server cancels a statement after AEGIS_DB_STATEMENT_TIMEOUT_MS ("canceling statement due
//   to statement timeout"), and the client gives up on its own shortly after that, for a server
//   that does not answer at all ("Query read timeout");
// - a transaction left idle (a stuck request holding locks) is ended by the server after
//   AEGIS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS.
// The LISTEN connection of the event bus idles by design between notifications: it gets the
// connect timeout and TCP keep-alive only, never a statement or idle timeout.
import type { ClientConfig, PoolConfig } from 'pg';
import { config, type Config } from './config';

/** How long the client waits past the server's statement timeout before giving up itself. */
const CLIENT_GRACE_MS = 2_000;
/** TCP keep-alive probes start after this much silence, so a dead peer is noticed. */
const KEEP_ALIVE_DELAY_MS = 30_000;

export type DatabaseTimeouts = {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
};

export function databaseTimeouts(env: Config = config()): DatabaseTimeouts {
  return {
    connectTimeoutMs: env.AEGIS_DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.AEGIS_DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.AEGIS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  };
}

/** Options for the pool every query goes through. */
export function poolOptions(timeouts: DatabaseTimeouts = databaseTimeouts()): PoolConfig {
  return {
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    statement_timeout: timeouts.statementTimeoutMs,
    query_timeout: timeouts.statementTimeoutMs + CLIENT_GRACE_MS,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
  };
}

/** Options for the long-lived LISTEN connection: no statement or idle timeout. */
export function listenerOptions(timeouts: DatabaseTimeouts = databaseTimeouts()): ClientConfig {
  return {
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
  };
}
