// A stalled database fails calls fast: against the test PostgreSQL, directly and through a TCP
// relay that can be made to stop answering mid-connection.
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabaseClient } from './db';
import { listenerOptions, poolOptions, type DatabaseTimeouts } from './database-options';

const fast: DatabaseTimeouts = { connectTimeoutMs: 500, statementTimeoutMs: 300, idleInTransactionTimeoutMs: 400 };
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.allSettled(cleanup.splice(0).map((fn) => fn()));
});

async function timed<T>(work: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await work();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

/** A TCP relay to the test database; `stall()` makes it swallow everything from then on. */
async function stallableRelay(): Promise<{ url: string; stall: () => void }> {
  const target = new URL(process.env.DATABASE_URL!);
  let stalled = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => stalled || upstream.write(chunk));
    upstream.on('data', (chunk) => stalled || client.write(chunk));
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      a.on('error', () => b.destroy());
      a.on('close', () => b.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return { url: url.toString(), stall: () => (stalled = true) };
}

describe('database timeouts', () => {
  it('a statement longer than the statement timeout fails fast with a clear error', async () => {
    const client = createDatabaseClient(process.env.DATABASE_URL!, fast);
    cleanup.push(() => client.$disconnect());
    await client.$queryRaw`SELECT 1`;

    const { error, ms } = await timed(() => client.$queryRaw`SELECT pg_sleep(10)`);
    expect(String(error)).toMatch(/statement timeout/);
    expect(ms).toBeLessThan(3_000);
    // the pool is still usable afterwards
    expect(await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('a database that stops answering fails the call once the client-side timeout passes', async () => {
    const relay = await stallableRelay();
    const pool = new pg.Pool({ connectionString: relay.url, ...poolOptions(fast) });
    cleanup.push(() => pool.end());
    await pool.query('SELECT 1');

    relay.stall();
    const { error, ms } = await timed(() => pool.query('SELECT 1'));
    expect(String(error)).toMatch(/Query read timeout/);
    expect(ms).toBeLessThan(fast.statementTimeoutMs + 4_000);
  });

  it('connecting to a database that accepts but never answers gives up after the connect timeout', async () => {
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const pool = new pg.Pool({ connectionString: `postgresql://x:y@127.0.0.1:${port}/z`, ...poolOptions(fast) });
    cleanup.push(() => pool.end());

    const { error, ms } = await timed(() => pool.query('SELECT 1'));
    expect(String(error)).toMatch(/timeout/i);
    expect(ms).toBeLessThan(3_000);
  });

  it('pool connections carry the timeouts; the LISTEN connection carries none, so it may idle', async () => {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, ...poolOptions(fast) });
    cleanup.push(() => pool.end());
    const pooled = await pool.query('SHOW statement_timeout');
    expect(pooled.rows[0].statement_timeout).toBe('300ms');
    expect((await pool.query('SHOW idle_in_transaction_session_timeout')).rows[0]).toEqual({
      idle_in_transaction_session_timeout: '400ms',
    });

    const listener = new pg.Client({ connectionString: process.env.DATABASE_URL, ...listenerOptions(fast) });
    await listener.connect();
    cleanup.push(() => listener.end());
    expect((await listener.query('SHOW statement_timeout')).rows[0]).toEqual({ statement_timeout: '0' });
    expect((await listener.query('SHOW idle_in_transaction_session_timeout')).rows[0]).toEqual({
      idle_in_transaction_session_timeout: '0',
    });
    expect((await listener.query('SHOW idle_session_timeout')).rows[0]).toEqual({ idle_session_timeout: '0' });
  });
});
