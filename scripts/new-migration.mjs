// `npm run db:migration <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between the committed migrations and prisma/schema.prisma, using a throwaway embedded
// PostgreSQL as the shadow database. (`prisma migrate dev` crashes with the wasm engine here.)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-db.mjs';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration <name_in_snake_case>');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'aegis-migration-'));
const db = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), password: 'migration', database: 'aegis' });
try {
  const sql = execFileSync(
    'npx',
    [
      'prisma',
      'migrate',
      'diff',
      '--from-migrations',
      'prisma/migrations',
      '--to-schema-datamodel',
      'prisma/schema.prisma',
      '--script',
    ],
    { env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' },
  ).replace(/Loaded Prisma config from .*$/m, '');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const target = path.join('prisma/migrations', `${stamp}_${name}`);
  mkdirSync(target, { recursive: true });
  writeFileSync(path.join(target, 'migration.sql'), sql.trimEnd() + '\n');
  console.log(`wrote ${target}/migration.sql`);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
