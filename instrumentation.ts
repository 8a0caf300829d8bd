// Next.js calls register() once when a server process starts: background work that must run
// whether or not anyone is using the app starts here. Every instance sweeps approvals at start-up
// and periodically, so an approved action that a crashed instance left running is taken over and
// finished (lib/approvals/approval-sweeper.ts), and empties the webhook outbox after restarts too,
// not only when something new is queued.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { captureStartupContext } = await import('./lib/gateway/outside-request');
  captureStartupContext();
  const { startWebhookWorker } = await import('./lib/webhooks/webhook-worker');
  startWebhookWorker();
  const { startApprovalSweeper } = await import('./lib/approvals/approval-sweeper');
  startApprovalSweeper();
}
