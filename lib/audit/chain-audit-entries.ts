// Gives normalised entries their place in a room's chain after a known head: ids, seqs, one
// timestamp, and each entry's hash over the one before. Pure; how the rows are written is up to
// the caller (a locked transaction, or one conditional statement).
import { randomUUID } from 'node:crypto';
import { hashAuditEntry, type AuditHashFields } from './hash-audit-entry';
import type { NormalisedEntry } from './normalise-audit-entry';

export type ChainHead = { seq: number; hash: string };

export type ChainedEntry = NormalisedEntry & {
  id: string;
  seq: number;
  createdAt: Date;
  prevHash: string;
  hash: string;
};

export type AppendedAuditEntry = { id: string; seq: number; hash: string; createdAt: Date };

/** The entries chained after `head`, in order, and the head they lead to. */
export function chainEntries(
  head: ChainHead,
  entries: NormalisedEntry[],
  createdAt: Date,
): { rows: ChainedEntry[]; head: ChainHead } {
  let { seq, hash: prevHash } = head;
  const rows: ChainedEntry[] = [];
  for (const entry of entries) {
    seq += 1;
    const fields: AuditHashFields = { ...entry, id: entry.id ?? randomUUID(), seq, createdAt: createdAt.toISOString() };
    const hash = hashAuditEntry(prevHash, fields);
    rows.push({ ...entry, id: fields.id, seq, createdAt, prevHash, hash });
    prevHash = hash;
  }
  return { rows, head: { seq, hash: prevHash } };
}

export function appendedEntry({ id, seq, hash, createdAt }: ChainedEntry): AppendedAuditEntry {
  return { id, seq, hash, createdAt };
}
