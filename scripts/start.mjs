// `npm start`: one command that runs Aegis. Without DATABASE_URL it starts an embedded
// PostgreSQL under AEGIS_DATA_DIR (default ./.data); it applies migrations, builds the app if
// needed and serves it on PORT (default 3000). Ctrl-C stops the app and the database cleanly.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateSecrets, openDatabase, applyMigrations } from './runtime.mjs';
import { buildIfNeeded } from './build-if-needed.mjs';

const dev = process.argv.includes('--dev');
const dataDir = path.resolve(process.env.AEGIS_DATA_DIR || '.data');
const port = process.env.PORT || '3000';
const log = (line) => console.log(`[aegis] ${line}`);

// Local repositories may only be under AEGIS_REPOSITORY_ROOTS; by default one folder beside the
// data, created here so that it is there to put (or clone) a bare repository into.
const defaultRepositoryRoot = path.resolve('repositories');
const repositoryRoots = process.env.AEGIS_REPOSITORY_ROOTS ?? defaultRepositoryRoot;
if (process.env.AEGIS_REPOSITORY_ROOTS === undefined) mkdirSync(defaultRepositoryRoot, { recursive: true });

const secrets = loadOrCreateSecrets(dataDir);
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir,
  password: secrets.databasePassword,
});
log(database.embedded ? `embedded PostgreSQL running, data in ${dataDir}` : 'using DATABASE_URL');

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await database.stop().catch((error) => console.error('[aegis] stopping PostgreSQL failed:', error.message));
  process.exit(code);
}

const publicUrl = process.env.AEGIS_PUBLIC_URL || `http://localhost:${port}`;
// AEGIS_PUBLIC_URL stays unset unless given: pages then use the request's own origin.
const env = {
  ...process.env,
  DATABASE_URL: database.url,
  AEGIS_DATA_DIR: dataDir,
  AEGIS_REPOSITORY_ROOTS: repositoryRoots,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || secrets.sessionSecret,
  AEGIS_ENCRYPTION_KEY: process.env.AEGIS_ENCRYPTION_KEY || secrets.encryptionKey,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || publicUrl,
  PORT: port,
};
try {
  const applied = await applyMigrations(database.url);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  // The build loads the app's modules, which read this configuration.
  if (!dev) buildIfNeeded({ log, env });
} catch (error) {
  console.error(`[aegis] ${error.message}`);
  await shutdown(1);
}

// Next's own CLI, run directly by node (not through npx), so signals reach the server itself.
const nextCli = fileURLToPath(import.meta.resolve('next/dist/bin/next'));
const app = spawn(process.execPath, [nextCli, dev ? 'dev' : 'start', '-p', port], { stdio: 'inherit', env });
log(`serving on ${publicUrl}`);
log(
  repositoryRoots
    ? `local repositories allowed under ${repositoryRoots.split(':').filter(Boolean).join(', ')}`
    : 'no local repositories allowed (AEGIS_REPOSITORY_ROOTS is empty)',
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log('stopping…');
    app.kill('SIGTERM');
  });
}
app.on('exit', (code) => shutdown(code ?? 0));
