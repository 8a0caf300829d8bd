// Approvals that nobody decided in time expire and are never executed.
import { db } from '../db';
import { settleApproval } from './approval-outcome';

const EXPIRED = 'Nobody decided in time: the approval expired and the action was not executed.';

export async function expireApproval(approvalId: string): Promise<boolean> {
  const expired = await settleApproval(approvalId, {
    from: ['pending'],
    where: { expiresAt: { lte: new Date() } },
    to: 'expired',
    error: EXPIRED,
    audit: { status: 'expired', result: 'expired before anyone decided; not executed' },
    webhook: true,
  });
  return expired !== null;
}

/** Expires every overdue pending approval; returns how many. */
export async function expireOverdueApprovals(): Promise<number> {
  const overdue = await db.approval.findMany({
    where: { status: 'pending', expiresAt: { lte: new Date() } },
    select: { id: true },
    take: 500,
  });
  let count = 0;
  for (const { id } of overdue) if (await expireApproval(id)) count++;
  return count;
}
