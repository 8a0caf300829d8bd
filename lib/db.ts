// The one Prisma client, over node-postgres (the driver adapter the wasm engine needs).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { config } from './config';

const globalForPrisma = globalThis as unknown as { aegisPrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: config().DATABASE_URL, max: 20 });
  return new PrismaClient({ adapter });
}

export const db: PrismaClient = globalForPrisma.aegisPrisma ?? (globalForPrisma.aegisPrisma = createClient());
