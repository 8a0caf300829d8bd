// Next.js calls register() once when a server process starts: background work that must run
// whether or not anyone is using the app starts here.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  // The webhook outbox is emptied after restarts too, not only when something new is queued.
  const { startWebhookWorker } = await import('./lib/webhooks/webhook-worker');
  startWebhookWorker();
}
