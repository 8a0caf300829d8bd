// What `npm start` and the test suite share: the data directory, its generated secrets, the
// database (embedded PostgreSQL unless a URL is given) and migrations.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-db.mjs';
import { applyMigrations } from './migrate.mjs';

/** Secrets generated on first run and kept in the data directory unless the environment gives them. */
export function loadOrCreateSecrets(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'secrets.json');
  const stored = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = {
    sessionSecret: stored.sessionSecret ?? randomBytes(32).toString('base64url'),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
    databasePassword: stored.databasePassword ?? randomBytes(18).toString('base64url'),
  };
  if (JSON.stringify(secrets) !== JSON.stringify(stored)) {
    writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  }
  return secrets;
}

/**
 * @returns {Promise<{ url: string, stop: () => Promise<void>, embedded: boolean }>}
 */
export async function openDatabase({ databaseUrl, dataDir, password, log = undefined }) {
  if (databaseUrl) return { url: databaseUrl, stop: async () => {}, embedded: false };
  const db = await startEmbeddedPostgres({
    dir: path.join(dataDir, 'postgres'),
    password,
    database: 'aegis',
    log,
  });
  return { ...db, embedded: true };
}

export { applyMigrations };
