// Micro-benchmark of appendAuditEntry alone (no HTTP, no MCP), for comparing ways of writing the
// audit chain: `npx tsx scripts/bench-audit.ts`. PostgreSQL embedded in a temporary directory
// unless BENCH_DATABASE_URL is given, migrated; every chain written is verified at the end.
// Measures: one writer appending to one room one call after another (p50, p99, mean); 16 writers
// appending to one room at once (group commit: throughput and per-call latency); 16 writers each
// in its own room. Settings: BENCH_AUDIT_CALLS (1000), BENCH_AUDIT_CLIENTS (16).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, openDatabase } from './runtime.mjs';

const CALLS = Number(process.env.BENCH_AUDIT_CALLS ?? 1000);
const CLIENTS = Number(process.env.BENCH_AUDIT_CLIENTS ?? 16);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aegis-bench-audit-'));
const database = await openDatabase({
  databaseUrl: process.env.BENCH_DATABASE_URL,
  dataDir,
  password: randomBytes(12).toString('hex'),
});
try {
  await applyMigrations(database.url);
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
    AEGIS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    AEGIS_DATA_DIR: dataDir,
    AEGIS_REPOSITORY_ROOTS: dataDir,
  });
  await run();
} finally {
  const { db } = await import('../lib/db');
  await db.$disconnect();
  await database.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

async function run() {
  const { appendAuditEntry } = await import('../lib/audit/append-audit-entry');
  const { createAuditTestRoom, createAuditTestUser } = await import('../lib/audit/test-fixtures');
  const { verifyAuditChain } = await import('../lib/audit/verify-audit-chain');
  const owner = await createAuditTestUser('bench');
  const rooms: string[] = [];
  const newRoom = async () => {
    const room = await createAuditTestRoom(owner);
    rooms.push(room.id);
    return room.id;
  };
  const append = (roomId: string, n: number) =>
    appendAuditEntry({
      roomId,
      kind: 'decision',
      userId: owner.id,
      role: 'DEVELOPER',
      sessionId: 'session-1',
      clientName: 'bench',
      tool: 'get_file_contents',
      arguments: { path: 'README.md', branch: 'main', n },
      decision: 'allow',
      ruleId: 'read-tools',
      policyVersion: 1,
    });
  const timed = async (roomId: string, n: number) => {
    const start = performance.now();
    await append(roomId, n);
    return performance.now() - start;
  };

  // One writer, one room, sequential.
  const sequentialRoom = await newRoom();
  for (let i = 0; i < 50; i++) await append(sequentialRoom, i);
  const sequential: number[] = [];
  for (let i = 0; i < CALLS; i++) sequential.push(await timed(sequentialRoom, i));
  report('1 writer, 1 room, sequential', sequential);

  // CLIENTS writers, one room, each calling back to back.
  const sharedRoom = await newRoom();
  await append(sharedRoom, 0);
  report('16 writers, 1 room', ...(await concurrently(() => sharedRoom)));

  // CLIENTS writers, each in its own room.
  const own = await Promise.all(Array.from({ length: CLIENTS }, newRoom));
  await Promise.all(own.map((roomId) => append(roomId, 0)));
  report('16 writers, 16 rooms', ...(await concurrently((client) => own[client]!)));

  for (const roomId of rooms) {
    const result = await verifyAuditChain(roomId);
    if (!result.intact) throw new Error(`chain of ${roomId} broken: ${JSON.stringify(result)}`);
  }
  console.log(`verified ${rooms.length} chains intact`);

  async function concurrently(roomOf: (client: number) => string): Promise<[number[], number]> {
    const latencies: number[] = [];
    const perClient = Math.ceil(CALLS / CLIENTS);
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = 0; i < perClient; i++) latencies.push(await timed(roomOf(client), i));
      }),
    );
    return [latencies, performance.now() - start];
  }
}

function report(label: string, latencies: number[], elapsedMs?: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const rate = elapsedMs ? `  ${Math.round((sorted.length / elapsedMs) * 1000)} appends/s` : '';
  console.log(
    `${label.padEnd(32)} n=${sorted.length}  p50 ${at(50).toFixed(2)} ms  p99 ${at(99).toFixed(2)} ms  mean ${mean.toFixed(2)} ms${rate}`,
  );
}
