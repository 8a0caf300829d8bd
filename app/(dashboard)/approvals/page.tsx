import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { listApprovals } from '@/lib/approvals/list-approvals';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card, EmptyState } from '@/components/ui/card';
import { LiveRefresh } from '@/components/approvals/live-approvals';
import { ApprovalStatusBadge, formatArguments } from '@/components/approvals/approval-badges';
import { BlastRadiusBadge } from '@/components/audit/decision-badge';
import { CodeBlock } from '@/components/ui/code-block';

export const metadata: Metadata = { title: 'Approvals' };

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const user = await requireUser();
  const tab = (await searchParams).tab === 'history' ? 'history' : 'pending';
  const approvals = await listApprovals(user.id, tab);
  return (
    <>
      <LiveRefresh />
      <PageHeader
        title="Approvals"
        description="Actions a policy routed to human review, across your rooms. This page updates live."
      />
      <nav aria-label="Approval tabs" className="mb-5 flex gap-2">
        {(['pending', 'history'] as const).map((t) => (
          <Link
            key={t}
            href={t === 'pending' ? '/approvals' : '/approvals?tab=history'}
            aria-current={tab === t ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${tab === t ? 'bg-indigo-600 text-white' : 'bg-white text-slate-700 ring-1 ring-slate-200'}`}
          >
            {t === 'pending' ? 'Pending' : 'History'}
          </Link>
        ))}
      </nav>
      {approvals.length === 0 ? (
        <EmptyState title={tab === 'pending' ? 'Nothing waits for your review' : 'No decided approvals yet'}>
          {tab === 'pending' ? 'When a policy holds an agent’s action for review, it appears here at once.' : null}
        </EmptyState>
      ) : (
        <ul className="space-y-4" aria-label={tab === 'pending' ? 'Pending approvals' : 'Decided approvals'}>
          {approvals.map((a) => (
            <li key={a.id}>
              <Card
                title={`${a.tool} in ${a.roomName}`}
                description={
                  <span className="flex flex-wrap items-center gap-2">
                    <ApprovalStatusBadge status={a.status} />
                    <BlastRadiusBadge blastRadius={a.blastRadius} />
                    <span>
                      requested by <strong>{a.requesterName}</strong> ({a.requesterRole}) via{' '}
                      {a.clientName ?? 'an agent'}
                    </span>
                    <span>· rule “{a.ruleName}”</span>
                    {a.requiredApprovals > 1 && <Badge>needs {a.requiredApprovals} approvals</Badge>}
                    {a.ownRequest && <Badge>your request</Badge>}
                  </span>
                }
                actions={
                  <Link
                    href={`/approvals/${a.id}`}
                    className="text-sm font-semibold text-indigo-600 hover:underline"
                    aria-label={`Review ${a.tool} in ${a.roomName}`}
                  >
                    {a.status === 'pending' ? 'Review →' : 'Details →'}
                  </Link>
                }
              >
                <CodeBlock maxHeight="max-h-48">{formatArguments(a.arguments)}</CodeBlock>
                <p className="mt-2 text-xs text-slate-500">
                  Requested {a.createdAt.toUTCString()} ·{' '}
                  {a.status === 'pending'
                    ? `expires ${a.expiresAt.toUTCString()}`
                    : `decided ${a.decidedAt?.toUTCString() ?? ''}`}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
