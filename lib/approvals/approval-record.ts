// An approval as the domain reads it: the columns every approvals module selects, and the
// statuses it moves through (see the schema). Kept apart so no approvals module has to import
// another's behaviour just to read a record.
import type { Prisma } from '../generated/prisma/client';

export const approvalSelect = {
  id: true,
  roomId: true,
  requesterId: true,
  requesterRole: true,
  sessionId: true,
  clientName: true,
  tool: true,
  arguments: true,
  digest: true,
  baseSha: true,
  ruleId: true,
  ruleName: true,
  reason: true,
  blastRadius: true,
  policyVersion: true,
  requiredApprovals: true,
  status: true,
  decisionEntryId: true,
  expiresAt: true,
  createdAt: true,
  decidedAt: true,
  executedAt: true,
  result: true,
  error: true,
  leaseOwner: true,
  leaseExpiresAt: true,
  attempts: true,
  executionPlan: true,
} as const;

export type ApprovalRecord = Prisma.ApprovalGetPayload<{ select: typeof approvalSelect }>;

/** Statuses an approval never leaves. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['executed', 'failed', 'denied', 'expired', 'cancelled']);

/** Statuses in which an approval has not run yet and may still be cancelled. */
export const NOT_YET_RUN = ['pending', 'approved'];
