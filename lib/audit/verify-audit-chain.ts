// Verifies a room's audit chain: every entry's hash recomputed from its content, each entry linked
// to the one before, seqs contiguous from 1, and the chain head matching the last entry. Reads one
// consistent snapshot in batches, so a long log is never held in memory and concurrent appends do
// not look like tampering.
import { db } from '../db';
import { Prisma } from '../generated/prisma/client';
import { getRoomForUser } from '../rooms/get-room';
import { auditEntrySelect, type AuditEntryRecord } from './audit-query';
import { GENESIS_HASH, hashAuditEntry } from './hash-audit-entry';

export type AuditChainVerification =
  | { intact: true; entries: number }
  | {
      intact: false;
      /** How many entries were checked before the break was found. */
      entries: number;
      /** `entryId` is null when the entry at `seq` is the one missing. */
      brokenAt: { seq: number; entryId: string | null; reason: string };
    };

const BATCH = 500;

/** Verifies the chain of a room the user is a member of (archived rooms included); not found otherwise. */
export async function verifyRoomAuditChain(userId: string, roomId: string): Promise<AuditChainVerification> {
  await getRoomForUser(userId, roomId, { includeArchived: true });
  return verifyAuditChain(roomId);
}

export async function verifyAuditChain(roomId: string): Promise<AuditChainVerification> {
  return db.$transaction((tx) => verifyInSnapshot(tx, roomId), {
    isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead,
    maxWait: 10_000,
    timeout: 10 * 60_000,
  });
}

async function verifyInSnapshot(tx: Prisma.TransactionClient, roomId: string): Promise<AuditChainVerification> {
  const head = await tx.auditChainHead.findUnique({ where: { roomId }, select: { seq: true, hash: true } });
  let checked = 0;
  let previous: { seq: number; hash: string; id: string } | null = null;
  const broken = (seq: number, entryId: string | null, reason: string): AuditChainVerification => ({
    intact: false,
    entries: checked,
    brokenAt: { seq, entryId, reason },
  });

  for (;;) {
    const batch: AuditEntryRecord[] = await tx.auditEntry.findMany({
      where: previous ? { roomId, seq: { gt: previous.seq } } : { roomId },
      orderBy: { seq: 'asc' },
      take: BATCH,
      select: auditEntrySelect,
    });
    for (const entry of batch) {
      const expectedSeq: number = (previous?.seq ?? 0) + 1;
      if (entry.seq !== expectedSeq) {
        if (!previous) {
          return broken(entry.seq, entry.id, `entry #${entry.seq} is the first entry: entries before it are missing`);
        }
        return broken(entry.seq, entry.id, `entry #${entry.seq} does not follow #${previous.seq} (missing entry)`);
      }
      const { prevHash, hash, createdAt, ...content } = entry;
      const recomputed = hashAuditEntry(prevHash, { ...content, createdAt: createdAt.toISOString() });
      if (recomputed !== hash) {
        return broken(entry.seq, entry.id, `entry #${entry.seq} was modified (hash mismatch)`);
      }
      if (prevHash !== (previous?.hash ?? GENESIS_HASH)) {
        const before = previous ? `entry #${previous.seq}` : 'the start of the chain';
        return broken(
          entry.seq,
          entry.id,
          `entry #${entry.seq} does not link to ${before} (prevHash mismatch: an entry was replaced)`,
        );
      }
      checked += 1;
      previous = { seq: entry.seq, hash, id: entry.id };
    }
    if (batch.length < BATCH) break;
  }

  if (!head) {
    return previous ? broken(previous.seq, previous.id, 'the chain head is missing') : { intact: true, entries: 0 };
  }
  const lastSeq = previous?.seq ?? 0;
  if (head.seq > lastSeq) {
    return broken(
      lastSeq + 1,
      null,
      `entry #${lastSeq + 1} is missing (the chain records ${head.seq} entries, ${lastSeq} remain)`,
    );
  }
  if (head.seq < lastSeq) {
    const extra = await tx.auditEntry.findUnique({
      where: { roomId_seq: { roomId, seq: head.seq + 1 } },
      select: { id: true },
    });
    return broken(head.seq + 1, extra?.id ?? null, `entry #${head.seq + 1} was added outside the chain`);
  }
  if (head.hash !== (previous?.hash ?? GENESIS_HASH)) {
    return broken(lastSeq, previous?.id ?? null, `the chain head does not match entry #${lastSeq}`);
  }
  return { intact: true, entries: checked };
}
