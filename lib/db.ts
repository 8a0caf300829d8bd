// The one Prisma client, over node-postgres (the driver adapter the wasm engine needs), with the
// connect and statement timeouts of lib/database-options.ts.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { config } from './config';
import { databaseTimeouts, poolOptions, type DatabaseTimeouts } from './database-options';

const globalForPrisma = globalThis as unknown as { aegisPrisma?: PrismaClient };

export function createDatabaseClient(
  databaseUrl: string = config().DATABASE_URL,
  timeouts: DatabaseTimeouts = databaseTimeouts(),
): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: 20, ...poolOptions(timeouts) });
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = globalForPrisma.aegisPrisma ?? (globalForPrisma.aegisPrisma = createDatabaseClient());
