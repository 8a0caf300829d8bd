// Appends entries to a room's chain inside a Prisma transaction, under a row lock on the room's
// AuditChainHead: the way to write an entry together with the state change it records (the
// caller's transaction), and the fallback of the one-statement path when its optimistic writes
// keep losing to other writers. Costs several round trips; lib/audit/audit-chain-statement.ts is
// the fast way for entries written on their own.
import { Prisma } from '../generated/prisma/client';
import { appendedEntry, chainEntries, type AppendedAuditEntry, type ChainHead } from './chain-audit-entries';
import { GENESIS_HASH } from './hash-audit-entry';
import type { NormalisedEntry } from './normalise-audit-entry';

/** Appends entries of one room, in order, under that room's chain-head lock; also returns the new head. */
export async function appendInTransaction(
  tx: Prisma.TransactionClient,
  entries: NormalisedEntry[],
): Promise<{ appended: AppendedAuditEntry[]; head: ChainHead }> {
  const roomId = entries[0]!.roomId;
  const locked = await lockChainHead(tx, roomId);
  // Taken under the lock, so within one room time never runs backwards as seq goes up.
  const { rows, head } = chainEntries(locked, entries, new Date());
  await tx.auditEntry.createMany({
    data: rows.map((row) => ({
      ...row,
      // A JSON null has to be spelled out to Prisma; anything else is stored as given.
      arguments: row.arguments === null ? Prisma.JsonNull : (row.arguments as Prisma.InputJsonValue),
    })),
  });
  await tx.auditChainHead.update({ where: { roomId }, data: head });
  return { appended: rows.map(appendedEntry), head };
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
