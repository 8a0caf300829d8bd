// Starts what the Playwright and integration tests talk to: a real PostgreSQL (embedded in a
// temporary directory unless TEST_DATABASE_URL is given), migrated, and the built app under
// `next start` on a free port. Workers find it through the environment set here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, applyMigrations } from '../scripts/runtime.mjs';
import { buildIfNeeded } from '../scripts/build-if-needed.mjs';
import { freePort } from '../scripts/embedded-db.mjs';

async function waitForHealth(url: string, app: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) throw new Error(`the app exited with code ${app.exitCode}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the app did not become healthy in time');
}

export default async function globalSetup() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-test-'));
  // The one place rooms' local repositories may be (tests/fixtures/git.ts creates origins here).
  const repositoryRoot = mkdtempSync(path.join(os.tmpdir(), 'aegis-test-repositories-'));
  const database = await openDatabase({
    databaseUrl: process.env.TEST_DATABASE_URL,
    dataDir,
    password: randomBytes(12).toString('hex'),
  });
  await applyMigrations(database.url);

  const port = await freePort();
  const url = `http://localhost:${port}`;
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    AEGIS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    AEGIS_DATA_DIR: dataDir,
    AEGIS_REPOSITORY_ROOTS: repositoryRoot,
    // The defaults, said out loud: remotes over https only, never to private or loopback addresses.
    AEGIS_REMOTE_SCHEMES: 'https',
    AEGIS_ALLOW_PRIVATE_NETWORKS: 'false',
    AEGIS_PUBLIC_URL: url,
    NEXTAUTH_URL: url,
    AEGIS_TEST_URL: url,
    AEGIS_APPROVAL_WAIT_SECONDS: process.env.AEGIS_APPROVAL_WAIT_SECONDS ?? '15',
    // sessions are presumed gone after 3 missed beats: short, so a test can outlive that window
    AEGIS_SESSION_HEARTBEAT_SECONDS: '1',
  });
  // Web app hardening (tests/e2e/web-security.spec.ts): sign-in limits small enough to reach in a
  // test. That spec sends its own X-Forwarded-For, so other tests' sign-ins are not counted with it.
  Object.assign(process.env, {
    AEGIS_SIGN_IN_MAX_FAILURES_PER_EMAIL: '3',
    AEGIS_SIGN_IN_MAX_FAILURES_PER_CLIENT: '20',
    // Every test's refused agent (bad tokens on purpose) comes from 127.0.0.1: the agent limit is
    // tested on an instance of its own (tests/integration/agent-auth-throttle.spec.ts).
    AEGIS_AGENT_AUTH_MAX_FAILURES_PER_CLIENT: '100000',
  });
  buildIfNeeded({ log: () => {} });
  const app = spawn('npx', ['next', 'start', '-p', String(port)], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  await waitForHealth(url, app);

  return async () => {
    if (app.pid) process.kill(-app.pid, 'SIGTERM');
    await new Promise((resolve) => (app.exitCode !== null ? resolve(null) : app.once('exit', resolve)));
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(repositoryRoot, { recursive: true, force: true });
  };
}
