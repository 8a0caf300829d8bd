// Prisma CLI configuration: the wasm schema engine over @prisma/adapter-pg (see ENVIRONMENT.md).
// Works around prisma/orm#27403 (catalog column types the wasm engine cannot read through
// adapter-pg) and adapter-pg's shadow-database bugs.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const TEXT_OID = 25;
const AS_TEXT = new Set([18, 19, 24, 194, 2205]);
const CHAR_OID = 18;
const NAME_ARRAY_OID = 1003;
const TEXT_ARRAY_OID = 1009;
const PRISMA_CHARACTER_COLUMN = 6;

function poolFields(url: string, database?: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database ?? decodeURIComponent(u.pathname.slice(1)),
    allowExitOnIdle: true,
    idleTimeoutMillis: 200,
  };
}

type Queryable = {
  performIO: (q: unknown) => Promise<{ fields: { dataTypeID: number }[]; rows: unknown[] }>;
  queryRaw: (q: unknown) => Promise<{ columnTypes: number[]; rows: unknown[] }>;
  startTransaction?: (...a: unknown[]) => Promise<Queryable>;
};

function patchCatalogTypes<T>(target: T): T {
  const q = target as unknown as Queryable;
  const charColumns = new WeakMap<object, number[]>();
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    const chars: number[] = [];
    result.fields.forEach((field, i) => {
      if (field.dataTypeID === CHAR_OID) chars.push(i);
      if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
      else if (field.dataTypeID === NAME_ARRAY_OID) field.dataTypeID = TEXT_ARRAY_OID;
    });
    if (chars.length) charColumns.set(result.rows, chars);
    return result;
  };
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = PRISMA_CHARACTER_COLUMN;
    return result;
  };
  if (q.startTransaction) {
    const startTransaction = q.startTransaction.bind(q);
    q.startTransaction = async (...args) => patchCatalogTypes(await startTransaction(...args));
  }
  return target;
}

function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must be set for Prisma CLI commands');
  return url;
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const url = requireDatabaseUrl();
    const factory = new PrismaPg(poolFields(url));
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => patchCatalogTypes(await factory.connect()),
      connectToShadowDb: async () => {
        const database = `aegis_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
        const admin = new pg.Client(poolFields(url));
        await admin.connect();
        await admin.query(`CREATE DATABASE "${database}"`);
        await admin.end();
        const shadow = patchCatalogTypes(await new PrismaPg(poolFields(url, database)).connect());
        const dispose = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          await dispose();
          const dropper = new pg.Client(poolFields(url));
          await dropper.connect();
          await dropper.query(`DROP DATABASE IF EXISTS "${database}"`);
          await dropper.end();
        };
        return shadow;
      },
    };
  },
});
