// The lease on a running approved action. Whoever runs it first claims it with a conditional
// update (approved → executing, or executing whose lease expired → executing under a new owner),
// so one instance runs it at a time; the holder renews the lease while it works and writes its
// plan (what it is about to push) only while it still holds it, so a holder that lost the lease
// never acts. An instance that dies leaves a lease that expires: the sweep takes the action over.
import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { db } from '../db';
import { conflict } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { announceApproval } from './approval-events';
import { approvalSelect, type ApprovalRecord } from './approval-record';

/** After this many attempts, an action that has not landed is failed instead of run again. */
export const MAX_ATTEMPTS = 3;

const leaseMs = () => config().AEGIS_APPROVAL_LEASE_SECONDS * 1000;

export function newLeaseOwner(): string {
  return `${process.pid}-${randomUUID()}`;
}

/** Claims an approved action, or one whose lease expired; null when someone else holds it or it is settled. */
export async function claimApproval(approvalId: string, owner: string): Promise<ApprovalRecord | null> {
  const now = new Date();
  return db.$transaction(async (tx) => {
    const claimed = await tx.approval.updateMany({
      where: {
        id: approvalId,
        OR: [{ status: 'approved' }, { status: 'executing', leaseExpiresAt: { lt: now } }],
      },
      data: {
        status: 'executing',
        leaseOwner: owner,
        leaseExpiresAt: new Date(now.getTime() + leaseMs()),
        attempts: { increment: 1 },
      },
    });
    if (claimed.count === 0) return null;
    const approval = await tx.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
    await announceApproval(approval, tx);
    return approval;
  });
}

/** Renews the lease every third of its length until the returned function is called. */
export function keepLease(approvalId: string, owner: string): () => void {
  const timer = setInterval(() => {
    void db.approval
      .updateMany({
        where: { id: approvalId, status: 'executing', leaseOwner: owner },
        data: { leaseExpiresAt: new Date(Date.now() + leaseMs()) },
      })
      .catch((error) => console.error('[aegis] could not renew an approval lease', error));
  }, leaseMs() / 3);
  timer.unref?.();
  return () => clearInterval(timer);
}

/** Records what the holder is about to do, if it still holds the lease; otherwise it must not act. */
export async function recordExecutionPlan(approvalId: string, owner: string, plan: unknown): Promise<void> {
  const recorded = await db.approval.updateMany({
    where: { id: approvalId, status: 'executing', leaseOwner: owner },
    data: { executionPlan: plan as Prisma.InputJsonValue, leaseExpiresAt: new Date(Date.now() + leaseMs()) },
  });
  if (recorded.count === 0) {
    throw conflict('Another Aegis instance took this approved action over; this one did not run it.');
  }
}
