// Runs once when a server instance starts (Next.js instrumentation): every instance sweeps
// approvals at start-up and periodically, so an approved action that a crashed instance left
// running is taken over and finished (see lib/approvals/approval-sweeper.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startApprovalSweeper } = await import('./lib/approvals/approval-sweeper');
  startApprovalSweeper();
}
