// Micro-benchmark of appendAuditEntry alone (no HTTP, no MCP), for comparing ways of writing the
// audit chain: `npx tsx scripts/bench-audit.ts`. PostgreSQL embedded in a temporary directory
// unless BENCH_DATABASE_URL is given, migrated; every chain written is verified at the end.
// Measures, for the one-statement append and for the locked Prisma transaction (the way every
// append was written before), in alternating rounds: one writer appending to one room one call
// after another (p50, p99, mean); 16 writers appending to one room at once (group commit:
// throughput and per-call latency); 16 writers each in its own room.
// Settings: BENCH_AUDIT_CALLS (1000 per scenario and way), BENCH_AUDIT_CLIENTS (16).
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
  const { createAuditAppender } = await import('../lib/audit/append-audit-entry');
  const { createAuditTestRoom, createAuditTestUser } = await import('../lib/audit/test-fixtures');
  const { verifyAuditChain } = await import('../lib/audit/verify-audit-chain');
  // `prisma` never tries the statement: every group goes through the locked Prisma transaction,
  // which is exactly how every append was written before the statement existed.
  const ways = { prisma: createAuditAppender({ maxAttempts: 0 }), statement: createAuditAppender() };
  type Way = keyof typeof ways;
  const owner = await createAuditTestUser('bench');
  const rooms: string[] = [];
  const newRoom = async () => {
    const room = await createAuditTestRoom(owner);
    rooms.push(room.id);
    return room.id;
  };
  const append = (way: Way, roomId: string, n: number) =>
    ways[way].append({
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
  const timed = async (way: Way, roomId: string, n: number) => {
    const start = performance.now();
    await append(way, roomId, n);
    return performance.now() - start;
  };

  // Each scenario runs in ROUNDS that alternate between the two ways, so that background load on
  // the machine weighs on both alike.
  const ROUNDS = 4;
  const perRound = Math.ceil(CALLS / ROUNDS);
  const scenarios: [label: string, run: (way: Way) => Promise<number[]>][] = [];
  for (const way of Object.keys(ways) as Way[]) {
    const sequentialRoom = await newRoom();
    const sharedRoom = await newRoom();
    const own = await Promise.all(Array.from({ length: CLIENTS }, newRoom));
    for (let i = 0; i < 50; i++) await append(way, sequentialRoom, i);
    await Promise.all([sharedRoom, ...own].map((roomId) => append(way, roomId, 0)));
    scenarios.push(
      [
        `${way}: 1 writer, 1 room`,
        async () => {
          const latencies: number[] = [];
          for (let i = 0; i < perRound; i++) latencies.push(await timed(way, sequentialRoom, i));
          return latencies;
        },
      ],
      [`${way}: ${CLIENTS} writers, 1 room`, () => concurrently(way, () => sharedRoom)],
      [`${way}: ${CLIENTS} writers, ${CLIENTS} rooms`, () => concurrently(way, (client) => own[client]!)],
    );
  }
  const results = new Map<string, { latencies: number[]; ms: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, measure] of round % 2 ? [...scenarios].reverse() : scenarios) {
      const start = performance.now();
      const latencies = await measure(label.split(':')[0] as Way);
      const result = results.get(label) ?? { latencies: [], ms: 0 };
      result.latencies.push(...latencies);
      result.ms += performance.now() - start;
      results.set(label, result);
    }
  }
  for (const label of [...results.keys()].sort()) {
    const { latencies, ms } = results.get(label)!;
    report(label, latencies, label.includes('writers') ? ms : undefined);
  }

  for (const roomId of rooms) {
    const result = await verifyAuditChain(roomId);
    if (!result.intact) throw new Error(`chain of ${roomId} broken: ${JSON.stringify(result)}`);
  }
  console.log(`verified ${rooms.length} chains intact`);

  async function concurrently(way: Way, roomOf: (client: number) => string): Promise<number[]> {
    const latencies: number[] = [];
    const perClient = Math.ceil(perRound / CLIENTS);
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let i = 0; i < perClient; i++) latencies.push(await timed(way, roomOf(client), i));
      }),
    );
    return latencies;
  }
}

function report(label: string, latencies: number[], elapsedMs?: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const rate = elapsedMs ? `  ${Math.round((sorted.length / elapsedMs) * 1000)} appends/s` : '';
  console.log(
    `${label.padEnd(40)} n=${sorted.length}  p50 ${at(50).toFixed(2)} ms  p99 ${at(99).toFixed(2)} ms  mean ${mean.toFixed(2)} ms${rate}`,
  );
}
