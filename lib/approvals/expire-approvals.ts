// Approvals that nobody decided in time expire and are never executed.
import { db } from '../db';
import { announceApproval } from './approval-events';
import { approvalSelect } from './create-approval';
import { recordApprovalOutcome } from './execute-approval';

export async function expireApproval(approvalId: string): Promise<boolean> {
  const expired = await db.$transaction(async (tx) => {
    const updated = await tx.approval.updateMany({
      where: { id: approvalId, status: 'pending', expiresAt: { lte: new Date() } },
      data: { status: 'expired', decidedAt: new Date() },
    });
    if (updated.count === 0) return null;
    const approval = await tx.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
    await announceApproval(approval, tx, { event: 'approval.decided' });
    return approval;
  });
  if (!expired) return false;
  await recordApprovalOutcome(expired, { status: 'error', error: 'expired before anyone decided; not executed' });
  return true;
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

const SWEEP_INTERVAL_MS = 30_000;
const sweeper = globalThis as unknown as { aegisExpirySweeper?: ReturnType<typeof setInterval> };

/** Starts (once per process) the periodic expiry of overdue approvals. */
export function ensureApprovalExpirySweeper(): void {
  if (sweeper.aegisExpirySweeper) return;
  sweeper.aegisExpirySweeper = setInterval(() => {
    void expireOverdueApprovals().catch((error) => console.error('[aegis] approval expiry sweep failed', error));
  }, SWEEP_INTERVAL_MS);
  sweeper.aegisExpirySweeper.unref?.();
}
