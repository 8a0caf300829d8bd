// Input schemas for the audit log: what the gateway appends, and the filters the dashboard, the
// export endpoint and the list share.
import { z } from 'zod';

export const AUDIT_KINDS = ['decision', 'outcome'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/**
 * What Aegis decided for a call; `invalid` (bad arguments), `refused` (credentials that do not hold
 * what they claim, e.g. another member's user id or a role above the member's) and `error` (failed
 * closed) never executed.
 */
export const AUDIT_DECISIONS = [
  'allow',
  'rewrite',
  'require_approval',
  'block',
  'invalid',
  'refused',
  'error',
] as const;
export type AuditDecision = (typeof AUDIT_DECISIONS)[number];

/**
 * How a call ended: `ok` (it ran), `error` (it failed), `pending` (held for approval); a held call
 * that never ran ends `denied` (a reviewer said no), `expired` (nobody decided in time) or
 * `cancelled` (its requester lost the right to it).
 */
export const AUDIT_STATUSES = ['ok', 'error', 'pending', 'denied', 'expired', 'cancelled'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

const ROLES = ['DEVELOPER', 'ADMIN', 'OWNER'] as const;

const INT4_MAX = 2_147_483_647;

// Free text from agents (client names, error messages) is capped rather than refused: refusing
// would fail the call closed over a cosmetic detail.
const capped = (max: number) =>
  z
    .string()
    .transform((text) => (text.length > max ? `${text.slice(0, max - 1)}…` : text))
    .nullish();

export const auditEntryInputSchema = z
  .object({
    /**
     * Chosen by the caller only when a later entry of the same append must name this one (an
     * outcome's callId); otherwise given when the entry takes its place in the chain.
     */
    id: z.uuid().optional(),
    roomId: z.string().min(1),
    kind: z.enum(AUDIT_KINDS),
    userId: z.string().min(1),
    role: z.enum(ROLES),
    sessionId: z.string().min(1).max(200).nullish(),
    clientName: capped(200),
    tool: z.string().min(1).max(200),
    /** The call's arguments (any JSON; normally an object), already redacted by the caller. */
    arguments: z.unknown().refine((value) => value !== undefined, 'arguments are required (use {} for none)'),
    decision: z.enum(AUDIT_DECISIONS),
    ruleId: z.string().max(200).nullish(),
    reason: capped(4000),
    policyVersion: z.number().int().min(0).max(INT4_MAX).nullish(),
    blastRadius: z.string().max(20).nullish(),
    /** Outcome entries: the id of the decision entry they complete. */
    callId: z.string().min(1).max(200).nullish(),
    status: z.enum(AUDIT_STATUSES).nullish(),
    /** A short text summary of what the call produced. */
    result: capped(4000),
    error: capped(4000),
    durationMs: z.number().int().min(0).max(INT4_MAX).nullish(),
    commitSha: z
      .string()
      .regex(/^[0-9a-f]{4,64}$/i, 'commitSha must be a hex object id')
      .nullish(),
    branch: z.string().max(1000).nullish(),
    pullRequest: z.number().int().positive().max(INT4_MAX).nullish(),
  })
  .refine((entry) => entry.kind !== 'outcome' || Boolean(entry.callId), {
    message: 'An outcome entry needs the callId of its decision entry',
    path: ['callId'],
  });

export type AuditEntryInput = z.input<typeof auditEntryInputSchema>;

// GET forms send empty strings for untouched fields: treat them as absent.
const optionalText = (max: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.string().trim().min(1).max(max).optional());

/**
 * A time filter: an ISO timestamp, or a `datetime-local` value (no offset) which is read as UTC —
 * the audit log shows times in UTC so what the user reads is what they filter by.
 */
const timeFilter = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .trim()
    .max(40)
    .transform((text, ctx) => {
      const withZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text) ? `${text}Z` : text;
      const date = /^\d{4}-\d{2}-\d{2}/.test(withZone) ? new Date(withZone) : new Date(NaN);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'Enter a date and time, e.g. 2026-01-31T09:30' });
        return z.NEVER;
      }
      return date;
    })
    .optional(),
);

/**
 * An opaque position in the newest-first list: the last row's time, room and seq. (Entries written
 * in one group commit share a time; room and seq order them and make the position unique.)
 */
export type AuditCursor = { createdAt: Date; roomId: string; seq: number };

export function encodeAuditCursor(position: AuditCursor): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.roomId, position.seq])).toString(
    'base64url',
  );
}

const cursorSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .max(400)
    .transform((text, ctx): AuditCursor => {
      try {
        const [iso, roomId, seq] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
        const createdAt = new Date(typeof iso === 'string' ? iso : NaN);
        if (typeof roomId === 'string' && Number.isInteger(seq) && !Number.isNaN(createdAt.getTime())) {
          return { createdAt, roomId, seq: seq as number };
        }
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'Invalid cursor' });
      return z.NEVER;
    })
    .optional(),
);

/** Filters of the audit log, named as the page's query string and the export endpoint name them. */
export const auditFiltersSchema = z
  .object({
    room: optionalText(100),
    /** The acting user of the call: a user ID, or an email address. */
    user: optionalText(320),
    tool: optionalText(100),
    decision: z.preprocess(
      (value) => (value === '' ? undefined : value),
      z.enum(AUDIT_DECISIONS, { message: `Choose one of ${AUDIT_DECISIONS.join(', ')}` }).optional(),
    ),
    from: timeFilter,
    to: timeFilter,
    cursor: cursorSchema,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '"From" must be before "to"', path: ['to'] });

export type AuditFilters = z.output<typeof auditFiltersSchema>;
export type AuditFiltersInput = z.input<typeof auditFiltersSchema>;

export const auditExportFormatSchema = z.enum(['csv', 'jsonl'], { message: 'format must be csv or jsonl' });
export type AuditExportFormat = z.output<typeof auditExportFormatSchema>;
