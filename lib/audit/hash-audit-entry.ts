// The audit chain's hash: sha256 over the previous entry's hash followed by a canonical JSON text of
// the entry's content. Append and verify both use this one function, so what is written is exactly
// what is checked.
import { createHash } from 'node:crypto';

/** The prevHash of a room's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The content of an entry that its hash covers: every column but prevHash and hash themselves. */
export type AuditHashFields = {
  id: string;
  roomId: string;
  seq: number;
  kind: string;
  /** ISO 8601 with milliseconds, as stored (the column keeps millisecond precision). */
  createdAt: string;
  userId: string;
  role: string;
  sessionId: string | null;
  clientName: string | null;
  tool: string;
  arguments: unknown;
  decision: string;
  ruleId: string | null;
  reason: string | null;
  policyVersion: number | null;
  blastRadius: string | null;
  callId: string | null;
  status: string | null;
  result: string | null;
  error: string | null;
  durationMs: number | null;
  commitSha: string | null;
  branch: string | null;
  pullRequest: number | null;
};

// The fixed order of the canonical text. Changing it (or adding a field) changes every hash:
// add new fields at the end, and only together with a way to verify entries written before.
const HASHED_FIELDS = [
  'id',
  'roomId',
  'seq',
  'kind',
  'createdAt',
  'userId',
  'role',
  'sessionId',
  'clientName',
  'tool',
  'arguments',
  'decision',
  'ruleId',
  'reason',
  'policyVersion',
  'blastRadius',
  'callId',
  'status',
  'result',
  'error',
  'durationMs',
  'commitSha',
  'branch',
  'pullRequest',
] as const satisfies readonly (keyof AuditHashFields)[];

/**
 * JSON with object keys sorted at every level. PostgreSQL's jsonb does not keep key order, so
 * arguments read back from the database only hash the same if the order is fixed here.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError('audit values must be JSON');
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function hashAuditEntry(prevHash: string, fields: AuditHashFields): string {
  const content = HASHED_FIELDS.map((key) => `${JSON.stringify(key)}:${canonicalJson(fields[key] ?? null)}`).join(',');
  return createHash('sha256').update(prevHash).update(`{${content}}`).digest('hex');
}
