// The sweep every instance runs, at start-up and then periodically, so that every approval
// reaches a final status even when the instance that was handling it died:
// - overdue pending approvals expire;
// - approvals whose requester lost the right to them are cancelled (also at once, on the
//   `room.members_changed` and `room.archived` events);
// - approved actions nobody claimed (the reviewer's request died before running one) and running
//   ones whose lease expired (the instance running it died) are taken over and finished.
import { config } from '../config';
import { db } from '../db';
import { ensureListening, subscribe, type AegisEvent } from '../events/event-bus';
import { cancelIneligibleApprovals } from './cancel-approvals';
import { executeApproval } from './execute-approval';
import { expireOverdueApprovals } from './expire-approvals';

/** How long an approved action may wait for the reviewer's own request to claim it. */
const UNCLAIMED_GRACE_MS = 10_000;

const state = globalThis as unknown as { aegisApprovalSweeper?: { sweeping: Promise<void> | null } };

export async function sweepApprovals(): Promise<void> {
  await expireOverdueApprovals();
  await cancelIneligibleApprovals();
  const now = Date.now();
  const stranded = await db.approval.findMany({
    where: {
      OR: [
        { status: 'approved', decidedAt: { lt: new Date(now - UNCLAIMED_GRACE_MS) } },
        { status: 'executing', leaseExpiresAt: { lt: new Date(now) } },
      ],
    },
    orderBy: { decidedAt: 'asc' },
    select: { id: true },
    take: 50,
  });
  // One at a time: a claim that another instance wins is a no-op. One that cannot be finished
  // now (database trouble) keeps its lease, which expires, and is tried again in a later sweep.
  for (const { id } of stranded) {
    await executeApproval(id).catch((error) => console.error(`[aegis] could not finish approval ${id}`, error));
  }
}

/** Starts the sweep on this instance (once per process): now, then every AEGIS_APPROVAL_SWEEP_SECONDS. */
export function startApprovalSweeper(): void {
  if (state.aegisApprovalSweeper) return;
  const sweeper: { sweeping: Promise<void> | null } = { sweeping: null };
  state.aegisApprovalSweeper = sweeper;
  const sweep = () => {
    // Reconnects the event listener if it could not connect at start-up.
    void ensureListening().catch(() => {});
    // Never two sweeps at once on one instance: a long execution delays the next sweep instead.
    sweeper.sweeping ??= sweepApprovals()
      .catch((error) => console.error('[aegis] approval sweep failed', error))
      .finally(() => {
        sweeper.sweeping = null;
      });
  };
  const onEvent = (event: AegisEvent) => {
    if (event.type === 'room.members_changed' || event.type === 'room.archived') {
      void cancelIneligibleApprovals(event.roomId).catch((error) =>
        console.error('[aegis] could not cancel the approvals of a former member', error),
      );
    } else if (event.type === 'bus.reset') {
      sweep(); // membership events may have been missed
    }
  };
  void subscribe(onEvent).catch((error) => console.error('[aegis] approval sweeper could not subscribe', error));
  sweep();
  setInterval(sweep, config().AEGIS_APPROVAL_SWEEP_SECONDS * 1000).unref?.();
}
