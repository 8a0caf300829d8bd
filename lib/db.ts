// The one Prisma client, over node-postgres (the driver adapter the wasm engine needs), with the
// connect and statement timeouts of lib/database-options.ts. Its pg pool is exported too, for the
// one statement that cannot afford Prisma's round trips (lib/audit/audit-chain-statement.ts), so
// that it shares the connections, limits and timeouts of every other query.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { config } from './config';
import { databaseTimeouts, poolOptions, type DatabaseTimeouts } from './database-options';

const globalForDatabase = globalThis as unknown as { aegisPrisma?: PrismaClient; aegisPool?: pg.Pool };

export function createDatabasePool(
  databaseUrl: string = config().DATABASE_URL,
  timeouts: DatabaseTimeouts = databaseTimeouts(),
): pg.Pool {
  return new pg.Pool({ connectionString: databaseUrl, max: 20, ...poolOptions(timeouts) });
}

/** A Prisma client over `pool` (a new one by default); `$disconnect()` ends the pool. */
export function createDatabaseClient(
  databaseUrl: string = config().DATABASE_URL,
  timeouts: DatabaseTimeouts = databaseTimeouts(),
  pool: pg.Pool = createDatabasePool(databaseUrl, timeouts),
): PrismaClient {
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

/** The pool `db` runs on. */
export const databasePool: pg.Pool = (globalForDatabase.aegisPool ??= createDatabasePool());

export const db: PrismaClient = (globalForDatabase.aegisPrisma ??= createDatabaseClient(
  undefined,
  undefined,
  databasePool,
));
