// Appends an entry to a room's audit chain. Entries are append-only and hash-chained per room: each
// carries the hash of the one before, so changing or removing any entry breaks the chain from there.
//
// Writers of one room are serialised by the row of that room's AuditChainHead, never by a global
// lock, so agents in different rooms never wait on each other. An entry written on its own (the
// gateway's, on every call) takes one statement (lib/audit/audit-chain-statement.ts): this instance
// keeps each room's head in memory, hashes the entries after it, and the statement writes them only
// if the head is still that one; if another instance (or a transaction) wrote meanwhile, the
// statement answers with the current head and the entries are chained again after it.
import type pg from 'pg';
import { db, databasePool } from '../db';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { metrics, toolLabel } from '../metrics/metrics';
import { appendInTransaction } from './append-in-transaction';
import { appendChained, createChainHead } from './audit-chain-statement';
import { appendedEntry, chainEntries, type AppendedAuditEntry, type ChainHead } from './chain-audit-entries';
import { GENESIS_HASH } from './hash-audit-entry';
import { normaliseEntry, type NormalisedEntry } from './normalise-audit-entry';
import type { AuditEntryInput } from './schemas';

export { hashAuditEntry, GENESIS_HASH, type AuditHashFields } from './hash-audit-entry';
export type { AuditEntryInput } from './schemas';
export type { AppendedAuditEntry } from './chain-audit-entries';

/**
 * Writes one entry durably and resolves once it is committed; rejects if it was not written.
 *
 * Pass `tx` to write it in the same transaction as the state change it records (the room's chain
 * head stays locked until that transaction ends, so keep it short; it must run at READ COMMITTED,
 * PostgreSQL's default).
 *
 * Without `tx`, entries of one room that arrive while an earlier write of that room is committing
 * are written together in the next statement (group commit): one round trip and one fsync for the
 * lot. A lone entry is written at once, so this adds no latency; under load it keeps a busy room's
 * throughput from being capped by one commit per call.
 */
export async function appendAuditEntry(
  input: AuditEntryInput,
  tx?: Prisma.TransactionClient,
): Promise<AppendedAuditEntry> {
  if (!tx) return (defaultAppender ??= createAuditAppender()).append(input);
  const entry = normaliseEntry(input);
  const { appended } = await appendInTransaction(tx, [entry]);
  countDecisions([entry]);
  return appended[0]!;
}

/**
 * Writes entries of one room durably, next to each other and in one commit (e.g. an allowed read's
 * decision and outcome, written together after the read and before its reply). Give an entry an
 * `id` when a later one names it as its callId.
 */
export function appendAuditEntries(inputs: AuditEntryInput[]): Promise<AppendedAuditEntry[]> {
  return (defaultAppender ??= createAuditAppender()).appendAll(inputs);
}

let defaultAppender: AuditAppender | undefined;

export type AuditAppender = {
  append(input: AuditEntryInput): Promise<AppendedAuditEntry>;
  /** Entries of one room written next to each other, in order, in one commit. */
  appendAll(inputs: AuditEntryInput[]): Promise<AppendedAuditEntry[]>;
};

export type AuditAppenderOptions = {
  /** Where the one-statement appends run (default: the pool under `db`). */
  pool?: pg.Pool;
  /** Where the locked fallback runs (default: `db`). */
  prisma?: PrismaClient;
  /** Optimistic writes of one group before it falls back to waiting for the room's lock. */
  maxAttempts?: number;
};

const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };
const MAX_GROUP = 100;
const MAX_CACHED_HEADS = 10_000;

/**
 * What one instance holds to append entries written on their own: per room, the entries waiting
 * for the next statement, whether one is running, and the last head it knows. Each instance has
 * one (appendAuditEntry's); tests make several to play several instances.
 */
export function createAuditAppender({
  pool = databasePool,
  prisma = db,
  maxAttempts = 5,
}: AuditAppenderOptions = {}): AuditAppender {
  const waiting = new Map<string, Waiting[]>();
  const writing = new Set<string>();
  // Most recently written last; the oldest is forgotten past MAX_CACHED_HEADS (it is only a guess:
  // a wrong head costs one more round trip, never a wrong chain).
  const heads = new Map<string, ChainHead>();
  const remember = (roomId: string, head: ChainHead) => {
    heads.delete(roomId);
    heads.set(roomId, head);
    if (heads.size > MAX_CACHED_HEADS) heads.delete(heads.keys().next().value!);
  };

  async function writeWaiting(roomId: string) {
    writing.add(roomId);
    try {
      for (;;) {
        const queue = waiting.get(roomId);
        if (!queue?.length) break;
        const group = takeGroup(queue);
        if (queue.length === 0) waiting.delete(roomId);
        const entries = group.flatMap((w) => w.entries);
        const stopTimer = metrics().auditWriteSeconds.startTimer();
        try {
          const appended = await writeGroup(roomId, entries);
          stopTimer();
          countDecisions(entries);
          let next = 0;
          for (const w of group) {
            w.resolve(appended.slice(next, next + w.entries.length));
            next += w.entries.length;
          }
        } catch (error) {
          // Whether it was written is unknown (a lost connection may follow a commit): forget the head.
          heads.delete(roomId);
          // Fail closed: every call of the group learns its entry was not written.
          group.forEach((w) => w.reject(error));
        }
      }
    } finally {
      writing.delete(roomId);
    }
  }

  async function writeGroup(roomId: string, entries: NormalisedEntry[]): Promise<AppendedAuditEntry[]> {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const expected = heads.get(roomId) ?? GENESIS_HEAD;
      // Taken after the head was read, so within one room time does not run backwards as seq goes
      // up (across instances, as far as their clocks agree).
      const { rows, head } = chainEntries(expected, entries, new Date());
      const result = await appendChained(pool, roomId, expected, rows);
      if (result.written) {
        remember(roomId, head);
        return rows.map(appendedEntry);
      }
      if (result.head) {
        remember(roomId, result.head);
      } else {
        await createChainHead(pool, roomId);
        remember(roomId, GENESIS_HEAD);
      }
    }
    // Other writers of this room kept getting there first: wait for the room's lock instead.
    const { appended, head } = await prisma.$transaction((tx) => appendInTransaction(tx, entries), {
      maxWait: 10_000,
      timeout: 10_000,
    });
    remember(roomId, head);
    return appended;
  }

  function appendAll(inputs: AuditEntryInput[]): Promise<AppendedAuditEntry[]> {
    const entries = inputs.map(normaliseEntry);
    const roomId = entries[0]?.roomId;
    if (roomId === undefined || entries.some((entry) => entry.roomId !== roomId)) {
      return Promise.reject(new TypeError('entries appended together belong to one room'));
    }
    return new Promise((resolve, reject) => {
      const queue = waiting.get(roomId);
      if (queue) queue.push({ entries, resolve, reject });
      else waiting.set(roomId, [{ entries, resolve, reject }]);
      if (!writing.has(roomId)) void writeWaiting(roomId);
    });
  }

  return {
    append: (input) => appendAll([input]).then((appended) => appended[0]!),
    appendAll,
  };
}

/** Waiting appends of one room, from the front, up to MAX_GROUP entries (always at least one append). */
function takeGroup(queue: Waiting[]): Waiting[] {
  let count = 0;
  let taken = 0;
  while (taken < queue.length && (taken === 0 || count + queue[taken]!.entries.length <= MAX_GROUP)) {
    count += queue[taken]!.entries.length;
    taken++;
  }
  return queue.splice(0, taken);
}

type Waiting = {
  /** Written next to each other, in this order. */
  entries: NormalisedEntry[];
  resolve: (appended: AppendedAuditEntry[]) => void;
  reject: (e: unknown) => void;
};

/** Every call's decision is audited once: counting decision entries counts calls by tool and decision. */
function countDecisions(entries: NormalisedEntry[]) {
  for (const entry of entries) {
    if (entry.kind === 'decision') metrics().calls.inc({ tool: toolLabel(entry.tool), decision: entry.decision });
  }
}
