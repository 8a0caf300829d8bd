// Moving an approval to a final status together with its outcome in the audit log: the status
// change and the audit entry that records it commit in one transaction, so neither exists
// without the other (a crash between the two can no longer leave an unaudited outcome).
import { appendAuditEntry } from '../audit/append-audit-entry';
import type { AuditStatus } from '../audit/schemas';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import { announceApproval } from './approval-events';
import { approvalSelect, type ApprovalRecord } from './approval-record';
import type { WebhookEvent } from './webhook';

export type OutcomeAudit = {
  status: Exclude<AuditStatus, 'pending'>;
  result?: string;
  error?: string;
  durationMs?: number;
  commitSha?: string;
  branch?: string;
  pullRequest?: number;
};

export type Settlement = {
  /** Only from one of these statuses… */
  from: string[];
  /** …and, for a running execution, only by the holder of its lease. */
  leaseOwner?: string;
  /** Any further condition (e.g. "is overdue"). */
  where?: Prisma.ApprovalWhereInput;
  to: 'executed' | 'failed' | 'denied' | 'expired' | 'cancelled';
  result?: unknown;
  /** Why it failed or was cancelled, as the agent and the approvals page show it. */
  error?: string;
  audit: OutcomeAudit;
  /** Tell the room's webhook too (decisions are; execution results are not), with the review if any. */
  webhook?: boolean;
  review?: WebhookEvent['review'];
};

/** The held call's outcome in the audit log, linked to the decision entry that held it. */
export function auditApprovalOutcome(tx: Prisma.TransactionClient, approval: ApprovalRecord, fields: OutcomeAudit) {
  return appendAuditEntry(
    {
      roomId: approval.roomId,
      kind: 'outcome',
      userId: approval.requesterId,
      role: approval.requesterRole,
      sessionId: approval.sessionId,
      clientName: approval.clientName,
      tool: approval.tool,
      arguments: {},
      decision: 'require_approval',
      callId: approval.decisionEntryId,
      ...fields,
    },
    tx,
  );
}

/**
 * Within `tx`: applies the settlement if its conditions hold, audits it and announces it (on
 * commit). Returns the settled approval, or null when the conditions did not hold (someone else
 * settled it first, or the lease was lost).
 */
export async function settleInTransaction(
  tx: Prisma.TransactionClient,
  approvalId: string,
  settlement: Settlement,
): Promise<ApprovalRecord | null> {
  const now = new Date();
  const ran = settlement.to === 'executed' || settlement.to === 'failed';
  const updated = await tx.approval.updateMany({
    where: {
      ...settlement.where,
      id: approvalId,
      status: { in: settlement.from },
      ...(settlement.leaseOwner !== undefined ? { leaseOwner: settlement.leaseOwner } : {}),
    },
    data: {
      status: settlement.to,
      ...(ran ? { executedAt: now } : { decidedAt: now }),
      result: settlement.result == null ? undefined : (settlement.result as Prisma.InputJsonValue),
      error: settlement.error,
      leaseOwner: null,
      leaseExpiresAt: null,
    },
  });
  if (updated.count === 0) return null;
  const approval = await tx.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
  await auditApprovalOutcome(tx, approval, settlement.audit);
  await announceApproval(
    approval,
    tx,
    settlement.webhook ? { event: 'approval.decided', review: settlement.review } : undefined,
  );
  return approval;
}

/** Settles an approval in a transaction of its own; see settleInTransaction. */
export function settleApproval(approvalId: string, settlement: Settlement): Promise<ApprovalRecord | null> {
  return db.$transaction((tx) => settleInTransaction(tx, approvalId, settlement));
}
