// The background worker that empties the webhook outbox, one per server process (started by
// instrumentation.ts). It runs when a delivery is queued anywhere (the `webhook.queued` event,
// published on commit), when the next retry falls due, and at least every POLL_MS in case an
// event was missed or another instance died holding a claim.
import { subscribe } from '../events/event-bus';
import { deliverDueWebhooks, nextWebhookDueAt } from './webhook-outbox';

const POLL_MS = 30_000;

type Worker = { running: boolean; again: boolean; timer?: ReturnType<typeof setTimeout> };
const state = globalThis as unknown as { aegisWebhookWorker?: Worker };

export function startWebhookWorker(): void {
  if (state.aegisWebhookWorker) return;
  const worker: Worker = { running: false, again: false };
  state.aegisWebhookWorker = worker;
  subscribe((event) => {
    if (event.type === 'webhook.queued' || event.type === 'bus.reset') wake(worker);
  }).catch((error) => console.error('[aegis] webhook worker cannot listen for events', errorText(error)));
  wake(worker);
}

function wake(worker: Worker): void {
  if (worker.running) {
    worker.again = true;
    return;
  }
  clearTimeout(worker.timer);
  worker.running = true;
  void deliverDueWebhooks()
    .catch((error) => console.error('[aegis] webhook delivery round failed', errorText(error)))
    .then(() => (worker.again ? 0 : untilNextDue()))
    .then((delay) => {
      worker.running = false;
      worker.again = false;
      worker.timer = setTimeout(() => wake(worker), delay);
      worker.timer.unref?.();
    });
}

async function untilNextDue(): Promise<number> {
  try {
    const next = await nextWebhookDueAt();
    if (!next) return POLL_MS;
    return Math.min(POLL_MS, Math.max(0, next.getTime() - Date.now()));
  } catch {
    return POLL_MS;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
