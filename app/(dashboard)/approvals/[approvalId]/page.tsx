import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getApprovalDetail } from '@/lib/approvals/list-approvals';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { LiveRefresh } from '@/components/approvals/live-approvals';
import { ReviewForm } from '@/components/approvals/review-form';
import { DiffView } from '@/components/diff/diff-view';
import { ApprovalStatusBadge, formatArguments } from '@/components/approvals/approval-badges';
import { BlastRadiusBadge } from '@/components/audit/decision-badge';
import { CodeBlock } from '@/components/ui/code-block';

export const metadata: Metadata = { title: 'Approval' };

async function load(userId: string, approvalId: string) {
  try {
    return await getApprovalDetail(userId, approvalId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function ApprovalPage({ params }: { params: Promise<{ approvalId: string }> }) {
  const user = await requireUser();
  const approval = await load(user.id, (await params).approvalId);
  return (
    <>
      <LiveRefresh />
      <PageHeader
        title={`${approval.tool} in ${approval.room.name}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ApprovalStatusBadge status={approval.status} />
            <BlastRadiusBadge blastRadius={approval.blastRadius} />
            <span>
              requested by <strong>{approval.requesterName}</strong> ({approval.requesterRole}) via{' '}
              {approval.clientName ?? 'an agent'}
            </span>
          </span>
        }
        actions={
          <Link href="/approvals" className="text-sm font-semibold text-indigo-600 hover:underline">
            ← Inbox
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="Why it needs review">
          <p className="text-sm">
            Rule <strong>“{approval.ruleName}”</strong>
            {detailsBeyondRule(approval.reason)}. Needs {approval.requiredApprovals} approval
            {approval.requiredApprovals > 1 ? 's' : ''} from room ADMINs or OWNERs other than the requester.
          </p>
          {approval.reviews.length > 0 && (
            <ul className="mt-3 space-y-1 text-sm" aria-label="Reviews">
              {approval.reviews.map((r) => (
                <li key={r.reviewerId}>
                  <strong>{r.reviewerName}</strong> {r.decision === 'approve' ? 'approved' : 'denied'}
                  {r.comment && <>: “{r.comment}”</>}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {approval.diff && (
          <Card title="Diff" description={'error' in approval.diff ? undefined : diffDescription(approval.diff)}>
            {'error' in approval.diff ? (
              <p className="text-sm text-red-700">{approval.diff.error}</p>
            ) : (
              <DiffView patch={approval.diff.patch} truncated={approval.diff.truncated} idPrefix="approval-diff" />
            )}
          </Card>
        )}
        <Card title="Arguments">
          <CodeBlock>{formatArguments(approval.arguments)}</CodeBlock>
        </Card>
        <Card title="Decision">
          {approval.canReview ? (
            <ReviewForm approvalId={approval.id} />
          ) : (
            <p className="text-sm text-slate-600">
              {approval.status !== 'pending'
                ? decisionText(approval.status, approval.error)
                : approval.ownRequest
                  ? 'You requested this action, so someone else must review it.'
                  : 'Only the room’s ADMINs and OWNERs can review it.'}
            </p>
          )}
        </Card>
      </div>
    </>
  );
}

/** The decision's reason without its leading `rule "…"` part, which the page already names. */
function detailsBeyondRule(reason: string | null): string {
  const rest = (reason ?? '').replace(/^rule "[^"]*";?\s*/, '');
  return rest ? ` — ${rest}` : '';
}

/** What the diff was computed against: the commits the reviewed call was evaluated on, or (older approvals) now. */
function diffDescription(diff: { against: string | null; asOf: 'request' | 'now' }): string | undefined {
  const [from, to] = (diff.against ?? '').split('..');
  if (!from) return undefined;
  const short = (sha: string) => sha.slice(0, 12);
  if (diff.asOf === 'now') return `Against the branch head ${short(from)}, as it is now.`;
  return to
    ? `From the merge base ${short(from)} to ${short(to)}, as it was reviewed.`
    : `Against ${short(from)}, the branch head when the agent asked, as it was reviewed.`;
}

/** Where a decided approval stands, with the reason when it failed or was cancelled. */
function decisionText(status: string, error: string | null): string {
  const reason = error ? ` ${error}` : '';
  if (status === 'cancelled') return `This approval is cancelled: nothing was executed.${reason}`;
  if (status === 'executing') return 'This approval is executing: Aegis is running the approved action.';
  return `This approval is ${status}.${reason}`;
}
