// Holding an agent's call while reviewers decide: woken by `approval.changed` events (from any
// instance, over LISTEN/NOTIFY), never by polling the database; progress callbacks keep the
// agent's request alive meanwhile. Returns the approval as it stands when it is final or when the
// wait is over.
import { db } from '../db';
import { subscribe, type AegisEvent } from '../events/event-bus';
import { approvalSelect, FINAL_STATUSES, type ApprovalRecord } from './approval-record';
import { expireApproval } from './expire-approvals';

const PROGRESS_INTERVAL_MS = 5000;

const state = globalThis as unknown as {
  aegisApprovalWaiters?: Map<string, Set<() => void>>;
  aegisApprovalWaitSubscribed?: Promise<unknown>;
};
const waiters: Map<string, Set<() => void>> = (state.aegisApprovalWaiters ??= new Map());

function onEvent(event: AegisEvent) {
  if (event.type === 'approval.changed') waiters.get(event.approvalId)?.forEach((wake) => wake());
  else if (event.type === 'bus.reset') waiters.forEach((set) => set.forEach((wake) => wake()));
}

export async function waitForApproval(
  approvalId: string,
  options: { timeoutMs: number; onProgress?: (elapsedMs: number) => void | Promise<void>; signal?: AbortSignal },
): Promise<ApprovalRecord> {
  await (state.aegisApprovalWaitSubscribed ??= subscribe(onEvent));
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let woken = true;
  let wake: () => void = () => {};
  const listener = () => {
    woken = true;
    wake();
  };
  const set = waiters.get(approvalId) ?? new Set();
  waiters.set(approvalId, set);
  set.add(listener);
  try {
    for (;;) {
      if (woken) {
        woken = false;
        const approval = await db.approval.findUniqueOrThrow({ where: { id: approvalId }, select: approvalSelect });
        if (FINAL_STATUSES.has(approval.status)) return approval;
        if (approval.status === 'pending' && approval.expiresAt <= new Date()) {
          await expireApproval(approvalId);
          woken = true;
          continue;
        }
        if (Date.now() >= deadline || options.signal?.aborted) return approval;
      }
      if (woken) continue; // an event arrived while the database was being read
      const remaining = deadline - Date.now();
      if (remaining <= 0 || options.signal?.aborted) {
        woken = true;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, PROGRESS_INTERVAL_MS));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        options.signal?.addEventListener('abort', wake, { once: true });
      });
      if (!woken) await options.onProgress?.(Date.now() - started);
    }
  } finally {
    set.delete(listener);
    if (set.size === 0) waiters.delete(approvalId);
  }
}
