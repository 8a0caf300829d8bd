// The one-statement audit append on a real PostgreSQL, as several instances would use it: each
// appender below has its own pool and its own cache of chain heads, like a separate process. Their
// chains, interleaved with each other and with the locked transaction path, stay whole and verify.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePool, db } from '../db';
import { poolOptions, databaseTimeouts } from '../database-options';
import { appendAuditEntry, createAuditAppender, GENESIS_HASH, type AuditEntryInput } from './append-audit-entry';
import { auditEntrySelect } from './audit-query';
import { createAuditTestRoom, createAuditTestUser } from './test-fixtures';
import { verifyAuditChain } from './verify-audit-chain';

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

/** A pool of its own, as another instance would have; `options` are server settings for its sessions. */
function instancePool(options?: string) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, ...poolOptions(databaseTimeouts()), options });
  pools.push(pool);
  return pool;
}

function instance(options: Parameters<typeof createAuditAppender>[0] = {}) {
  return createAuditAppender({ pool: instancePool(), ...options });
}

async function roomWithOwner() {
  const owner = await createAuditTestUser('owner');
  const room = await createAuditTestRoom(owner);
  return { owner, room };
}

const entry = (roomId: string, userId: string, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput => ({
  roomId,
  kind: 'decision',
  userId,
  role: 'DEVELOPER',
  tool: 'push_files',
  arguments: { branch: 'aegis/x', files: [{ path: 'a.txt', content: 'x' }] },
  decision: 'allow',
  ruleId: 'owner-everything',
  ...overrides,
});

/** Every field set, and text that has to be normalised before it is stored. */
const fullOutcome = (roomId: string, userId: string, callId: string): AuditEntryInput => ({
  roomId,
  kind: 'outcome',
  userId,
  role: 'ADMIN',
  sessionId: 'session-1',
  clientName: 'cursor\u0000',
  tool: 'merge_pull_request',
  arguments: { b: [1, 2.5, null, { y: 'é', x: '\uD800' }], a: 'quote " back\\slash', big: 1e21, nested: {} },
  decision: 'require_approval',
  ruleId: 'merges-by-admin',
  reason: '{two, "reviewers"} \\N',
  policyVersion: 7,
  blastRadius: 'High',
  callId,
  status: 'error',
  result: 'NULL',
  error: 'remote said "no"',
  durationMs: 1234,
  commitSha: 'ABCDEF1234567890ABCDEF1234567890ABCDEF12',
  branch: 'main',
  pullRequest: 42,
});

async function storedChain(roomId: string) {
  return db.auditEntry.findMany({ where: { roomId }, orderBy: { seq: 'asc' }, select: auditEntrySelect });
}

async function expectWholeChain(roomId: string, count: number) {
  const chain = await storedChain(roomId);
  expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(chain[0]!.prevHash).toBe(GENESIS_HASH);
  for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
  expect(await db.auditChainHead.findUnique({ where: { roomId } })).toEqual({
    roomId,
    seq: count,
    hash: chain[count - 1]!.hash,
  });
  expect(await verifyAuditChain(roomId)).toEqual({ intact: true, entries: count });
}

describe('the one-statement audit append', () => {
  it('runs on the pool under the Prisma client', async () => {
    await db.$queryRaw`SELECT 1`;
    expect(databasePool.totalCount).toBeGreaterThan(0);
  });

  it('stores exactly what the locked transaction path stores, and its hashes verify', async () => {
    const { owner, room: fast } = await roomWithOwner();
    const locked = await createAuditTestRoom(owner);
    // The time zone of the connection must not shift the stored time (the column has none).
    const appender = createAuditAppender({ pool: instancePool('-c TimeZone=Pacific/Kiritimati') });

    const decisionFast = await appender.append(entry(fast.id, owner.id, { arguments: null }));
    const outcomeFast = await appender.append(fullOutcome(fast.id, owner.id, decisionFast.id));
    const decisionLocked = await db.$transaction((tx) =>
      appendAuditEntry(entry(locked.id, owner.id, { arguments: null }), tx),
    );
    await db.$transaction((tx) => appendAuditEntry(fullOutcome(locked.id, owner.id, decisionLocked.id), tx));

    const [fastRows, lockedRows] = [await storedChain(fast.id), await storedChain(locked.id)];
    expect(fastRows.map((row) => row.createdAt)).toEqual([decisionFast.createdAt, outcomeFast.createdAt]);
    expect(fastRows.map((row) => row.hash)).toEqual([decisionFast.hash, outcomeFast.hash]);
    const content = ({ id, roomId, hash, prevHash, createdAt, callId, ...rest }: (typeof fastRows)[number]) => {
      void [id, roomId, hash, prevHash, createdAt, callId];
      return rest;
    };
    expect(fastRows.map(content)).toEqual(lockedRows.map(content));
    expect(fastRows[1]).toMatchObject({
      clientName: 'cursor\uFFFD',
      commitSha: 'abcdef1234567890abcdef1234567890abcdef12',
    });
    expect(fastRows[0]!.arguments).toBeNull();
    await expectWholeChain(fast.id, 2);
    await expectWholeChain(locked.id, 2);
  });

  it('keeps one unbroken chain when two instances write the same room in turns and at once', async () => {
    const { owner, room } = await roomWithOwner();
    const [a, b] = [instance(), instance()];
    // In turns: each write finds the head moved by the other instance since its own last write.
    for (let i = 0; i < 6; i++) await (i % 2 ? b : a).append(entry(room.id, owner.id, { arguments: { i } }));
    // At once: both instances' groups race for the same head.
    const appended = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).append(entry(room.id, owner.id, { arguments: { i } }))),
    );
    expect(appended.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 7));
    await expectWholeChain(room.id, 46);
  });

  it('creates the head once when two instances write a new room first at the same time', async () => {
    const { owner, room } = await roomWithOwner();
    const [a, b] = [instance(), instance()];
    const appended = await Promise.all([a, b, a, b].map((appender) => appender.append(entry(room.id, owner.id))));
    expect(appended.map((e) => e.seq).sort()).toEqual([1, 2, 3, 4]);
    await expectWholeChain(room.id, 4);
  });

  it('stays consistent when the transaction path and the statement write the same room', async () => {
    const { owner, room } = await roomWithOwner();
    const appender = instance();
    await appender.append(entry(room.id, owner.id));
    await db.$transaction((tx) => appendAuditEntry(entry(room.id, owner.id), tx));
    // The appender's cached head is now stale: it must chain after the transaction's entry.
    expect((await appender.append(entry(room.id, owner.id))).seq).toBe(3);
    await Promise.all([
      ...Array.from({ length: 10 }, () => appender.append(entry(room.id, owner.id))),
      ...Array.from({ length: 5 }, () => db.$transaction((tx) => appendAuditEntry(entry(room.id, owner.id), tx))),
      ...Array.from({ length: 10 }, () => appendAuditEntry(entry(room.id, owner.id))),
    ]);
    await expectWholeChain(room.id, 28);
  });

  it('falls back to the locked transaction when its writes keep finding the head moved', async () => {
    const { owner, room } = await roomWithOwner();
    const patient = instance({ maxAttempts: 1 });
    const other = instance();
    await patient.append(entry(room.id, owner.id));
    await other.append(entry(room.id, owner.id));
    // One try with the stale head, then the lock.
    expect((await patient.append(entry(room.id, owner.id))).seq).toBe(3);
    // The fallback left the new head in the cache: the next write needs no retry.
    expect((await patient.append(entry(room.id, owner.id))).seq).toBe(4);
    await expectWholeChain(room.id, 4);
  });

  it('writes a decision and its outcome next to each other, in one commit, among other writers', async () => {
    const { owner, room } = await roomWithOwner();
    const [a, b] = [instance(), instance()];
    const pairs = Array.from({ length: 8 }, (_, i) => {
      const id = randomUUID();
      return (i % 2 ? b : a).appendAll([
        entry(room.id, owner.id, { id, tool: 'get_file_contents', arguments: { i } }),
        { ...entry(room.id, owner.id, { kind: 'outcome', tool: 'get_file_contents', arguments: {} }), callId: id },
      ]);
    });
    const singles = Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).append(entry(room.id, owner.id)));
    const [written] = await Promise.all([Promise.all(pairs), Promise.all(singles)]);
    for (const [decision, outcome] of written) {
      expect(outcome!.seq).toBe(decision!.seq + 1);
      expect(outcome!.createdAt).toEqual(decision!.createdAt);
    }
    const stored = await storedChain(room.id);
    for (const [decision, outcome] of written) {
      expect(stored.find((row) => row.id === outcome!.id)?.callId).toBe(decision!.id);
    }
    await expectWholeChain(room.id, 24);
  });

  it('refuses entries of two rooms appended together, and writes neither', async () => {
    const { owner, room } = await roomWithOwner();
    const other = await createAuditTestRoom(owner);
    await expect(instance().appendAll([entry(room.id, owner.id), entry(other.id, owner.id)])).rejects.toThrow(
      /one room/,
    );
    expect(await storedChain(room.id)).toEqual([]);
    expect(await storedChain(other.id)).toEqual([]);
  });

  it('rejects every waiting caller when the database refuses the write, and leaves the chain valid', async () => {
    const { owner, room } = await roomWithOwner();
    await appendAuditEntry(entry(room.id, owner.id));
    await appendAuditEntry(entry(room.id, owner.id));
    const refused = createAuditAppender({
      pool: instancePool('-c default_transaction_read_only=on'),
      prisma: db,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => refused.append(entry(room.id, owner.id, { arguments: { i } }))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill('rejected'));
    for (const result of results) {
      expect(String((result as PromiseRejectedResult).reason)).toMatch(/read-only transaction/);
    }
    await expectWholeChain(room.id, 2);
    expect((await appendAuditEntry(entry(room.id, owner.id))).seq).toBe(3);
    await expectWholeChain(room.id, 3);
  });
});
