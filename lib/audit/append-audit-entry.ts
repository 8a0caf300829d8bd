// Appends an entry to a room's audit chain. Entries are append-only and hash-chained per room: each
// carries the hash of the one before, so changing or removing any entry breaks the chain from there.
//
// Writers of one room are serialised by a row lock on that room's AuditChainHead, never by a global
// lock, so agents in different rooms never wait on each other.
import { randomUUID } from 'node:crypto';
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { GENESIS_HASH, hashAuditEntry, type AuditHashFields } from './hash-audit-entry';
import { auditEntryInputSchema, type AuditEntryInput } from './schemas';
import { metrics, toolLabel } from '../metrics/metrics';

export { hashAuditEntry, GENESIS_HASH, type AuditHashFields } from './hash-audit-entry';
export type { AuditEntryInput } from './schemas';

export type AppendedAuditEntry = { id: string; seq: number; hash: string; createdAt: Date };

type ChainHead = { seq: number; hash: string };
type NormalisedEntry = Omit<AuditHashFields, 'id' | 'seq' | 'createdAt'>;

/**
 * Writes one entry durably and resolves once it is committed.
 *
 * Pass `tx` to write it in the same transaction as the state change it records (the room's chain
 * head stays locked until that transaction ends, so keep it short; it must run at READ COMMITTED,
 * PostgreSQL's default).
 *
 * Without `tx`, entries of one room that arrive while an earlier write of that room is committing
 * are written together in the next transaction (group commit): one lock, one insert, one fsync for
 * the lot. A lone entry is written at once, so this adds no latency; under load it keeps a busy
 * room's throughput from being capped by one commit per call.
 */
export async function appendAuditEntry(
  input: AuditEntryInput,
  tx?: Prisma.TransactionClient,
): Promise<AppendedAuditEntry> {
  const entry = normaliseEntry(input);
  if (tx) {
    const [appended] = await appendInTransaction(tx, [entry]);
    countDecisions([entry]);
    return appended!;
  }
  return new Promise((resolve, reject) => {
    const queue = waiting.get(entry.roomId);
    if (queue) queue.push({ entry, resolve, reject });
    else waiting.set(entry.roomId, [{ entry, resolve, reject }]);
    if (!writing.has(entry.roomId)) void writeWaiting(entry.roomId);
  });
}

type Waiting = {
  entry: NormalisedEntry;
  resolve: (appended: AppendedAuditEntry) => void;
  reject: (e: unknown) => void;
};

// Per room, on this instance: entries waiting for the next transaction, and whether one is running.
// Other instances are serialised by the database lock alone.
const waiting = new Map<string, Waiting[]>();
const writing = new Set<string>();
const MAX_GROUP = 100;

async function writeWaiting(roomId: string) {
  writing.add(roomId);
  try {
    for (;;) {
      const queue = waiting.get(roomId);
      if (!queue?.length) break;
      const group = queue.splice(0, MAX_GROUP);
      if (queue.length === 0) waiting.delete(roomId);
      const stopTimer = metrics().auditWriteSeconds.startTimer();
      try {
        const appended = await db.$transaction(
          (transaction) =>
            appendInTransaction(
              transaction,
              group.map((w) => w.entry),
            ),
          { maxWait: 10_000, timeout: 10_000 },
        );
        stopTimer();
        countDecisions(group.map((w) => w.entry));
        group.forEach((w, i) => w.resolve(appended[i]!));
      } catch (error) {
        // Fail closed: every call of the group learns its entry was not written.
        group.forEach((w) => w.reject(error));
      }
    }
  } finally {
    writing.delete(roomId);
  }
}

/** Every call's decision is audited once: counting decision entries counts calls by tool and decision. */
function countDecisions(entries: NormalisedEntry[]) {
  for (const entry of entries) {
    if (entry.kind === 'decision') metrics().calls.inc({ tool: toolLabel(entry.tool), decision: entry.decision });
  }
}

/** Appends entries of one room, in order, under that room's chain-head lock. */
async function appendInTransaction(
  tx: Prisma.TransactionClient,
  entries: NormalisedEntry[],
): Promise<AppendedAuditEntry[]> {
  const roomId = entries[0]!.roomId;
  const head = await lockChainHead(tx, roomId);
  // Taken under the lock, so within one room time never runs backwards as seq goes up.
  const createdAt = new Date();
  let { seq, hash: prevHash } = head;
  const rows: Prisma.AuditEntryCreateManyInput[] = [];
  const appended: AppendedAuditEntry[] = [];
  for (const entry of entries) {
    seq += 1;
    const fields: AuditHashFields = { ...entry, id: randomUUID(), seq, createdAt: createdAt.toISOString() };
    const hash = hashAuditEntry(prevHash, fields);
    rows.push({
      ...entry,
      id: fields.id,
      seq,
      createdAt,
      prevHash,
      hash,
      role: entry.role as AuditEntryInput['role'],
      // A JSON null has to be spelled out to Prisma; anything else is stored as given.
      arguments: entry.arguments === null ? Prisma.JsonNull : (entry.arguments as Prisma.InputJsonValue),
    });
    appended.push({ id: fields.id, seq, hash, createdAt });
    prevHash = hash;
  }
  await tx.auditEntry.createMany({ data: rows });
  await tx.auditChainHead.update({ where: { roomId }, data: { seq, hash: prevHash } });
  return appended;
}

/** Locks the room's chain head, creating it (seq 0, genesis hash) the first time. */
async function lockChainHead(tx: Prisma.TransactionClient, roomId: string): Promise<ChainHead> {
  const select = () =>
    tx.$queryRaw<ChainHead[]>`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "roomId" = ${roomId} FOR UPDATE`;
  const [head] = await select();
  if (head) return head;
  // Two first writers may race here: the loser's insert waits for the winner's commit and then
  // does nothing, and its second select locks the winner's row.
  await tx.$executeRaw`INSERT INTO "AuditChainHead" ("roomId", "seq", "hash") VALUES (${roomId}, 0, ${GENESIS_HASH}) ON CONFLICT ("roomId") DO NOTHING`;
  const [created] = await select();
  if (!created) throw new Error('the audit chain head could not be created');
  return created;
}

/**
 * Validates the entry and brings it to the exact form PostgreSQL will store, so the hash computed
 * now equals the hash recomputed from the stored row: JSON round trip for the arguments, no NUL
 * characters (text and jsonb refuse them) and no lone surrogates (the driver would replace them).
 */
function normaliseEntry(input: AuditEntryInput): NormalisedEntry {
  const parsed = auditEntryInputSchema.parse(input);
  const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
  return {
    roomId: parsed.roomId,
    kind: parsed.kind,
    userId: parsed.userId,
    role: parsed.role,
    sessionId: text(parsed.sessionId),
    clientName: text(parsed.clientName),
    tool: storableText(parsed.tool),
    arguments: storableJson(JSON.parse(JSON.stringify(parsed.arguments))),
    decision: parsed.decision,
    ruleId: text(parsed.ruleId),
    reason: text(parsed.reason),
    policyVersion: parsed.policyVersion ?? null,
    blastRadius: text(parsed.blastRadius),
    callId: text(parsed.callId),
    status: parsed.status ?? null,
    result: text(parsed.result),
    error: text(parsed.error),
    durationMs: parsed.durationMs ?? null,
    commitSha: parsed.commitSha?.toLowerCase() ?? null,
    branch: text(parsed.branch),
    pullRequest: parsed.pullRequest ?? null,
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableText(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}

function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]));
  }
  return value;
}
