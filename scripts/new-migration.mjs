// `npm run db:migration <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql from the
// difference between prisma/schema.prisma as last committed (git HEAD) and as it is now. Commit the
// schema together with its migration. (`prisma migrate dev`, and diffs from the migrations folder,
// fail with the wasm engine on these machines; a schema-to-schema diff works, given any database
// to connect to, here a throwaway embedded PostgreSQL.)
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
  const committed = path.join(dir, 'committed.prisma');
  writeFileSync(committed, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' }));
  const sql = execFileSync(
    'npx',
    [
      'prisma',
      'migrate',
      'diff',
      '--from-schema-datamodel',
      committed,
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
