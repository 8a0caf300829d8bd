// Brings an audit entry to the exact form PostgreSQL will store, so that the hash computed before
// writing equals the hash recomputed from the stored row: every way of appending goes through it.
import type { AuditHashFields } from './hash-audit-entry';
import { auditEntryInputSchema, type AuditEntryInput } from './schemas';

/** An entry's content before it has a place in the chain (id, seq, time). */
export type NormalisedEntry = Omit<AuditHashFields, 'id' | 'seq' | 'createdAt'> & {
  role: AuditEntryInput['role'];
  /** The id the caller chose (see AuditEntryInput.id); otherwise one is given when it is chained. */
  id?: string;
};

/**
 * Validates the entry and normalises it: JSON round trip for the arguments, no NUL characters
 * (text and jsonb refuse them) and no lone surrogates (the driver would replace them).
 */
export function normaliseEntry(input: AuditEntryInput): NormalisedEntry {
  const parsed = auditEntryInputSchema.parse(input);
  const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
  return {
    ...(parsed.id ? { id: parsed.id } : {}),
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
