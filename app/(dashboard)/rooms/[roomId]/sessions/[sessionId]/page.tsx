import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getSession } from '@/lib/sessions/agent-sessions';
import { listSessionCalls } from '@/lib/audit/list-audit-entries';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card, EmptyState } from '@/components/ui/card';
import { DecisionBadge, OutcomeBadge } from '@/components/audit/decision-badge';

export const metadata: Metadata = { title: 'Agent session' };

async function load(userId: string, roomId: string, sessionId: string) {
  try {
    return await getSession(userId, roomId, sessionId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function SessionPage({ params }: { params: Promise<{ roomId: string; sessionId: string }> }) {
  const user = await requireUser();
  const { roomId, sessionId } = await params;
  const session = await load(user.id, roomId, sessionId);
  const { calls, counts, total } = await listSessionCalls(user.id, sessionId, { limit: 500 });
  return (
    <>
      <PageHeader
        title={`${session.clientName ?? 'Unknown client'} ${session.clientVersion ?? ''}`.trim()}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span>
              {session.userName} as <Badge>{session.role}</Badge> over {session.transport}, connected{' '}
              {session.createdAt.toUTCString()}
            </span>
            {session.endedAt ? (
              <Badge>
                ended {session.endedAt.toUTCString()} ({session.endReason})
              </Badge>
            ) : (
              <Badge tone="green">connected</Badge>
            )}
          </span>
        }
        actions={
          <Link href={`/rooms/${roomId}`} className="text-sm font-semibold text-indigo-600 hover:underline">
            ← Room
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="Calls by decision">
          <ul className="flex flex-wrap gap-4 text-sm" aria-label="Calls by decision">
            <li>
              <strong className="tabular-nums">{total}</strong> calls
            </li>
            {Object.entries(counts).map(([decision, count]) => (
              <li key={decision} className="flex items-center gap-1.5">
                <DecisionBadge decision={decision} /> <span className="tabular-nums">{count}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="What the agent did" description="Every call of this session, in the order it was made.">
          {calls.length === 0 ? (
            <EmptyState title="No calls yet" />
          ) : (
            <ol className="divide-y divide-slate-100" aria-label="Session calls">
              {calls.map((call, index) => (
                <li key={call.id} className="flex flex-wrap items-start gap-3 py-3 text-sm">
                  <span className="w-8 text-right tabular-nums text-slate-400">{index + 1}.</span>
                  <div className="min-w-0 flex-1 space-y-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <Link
                        href={`/audit/${call.id}`}
                        className="font-mono font-medium text-indigo-700 hover:underline"
                      >
                        {call.tool}
                      </Link>
                      <DecisionBadge decision={call.decision} />
                      {call.outcome && <OutcomeBadge status={call.outcome.status} />}
                      <time className="text-xs text-slate-500" dateTime={call.createdAt.toISOString()}>
                        {call.createdAt.toUTCString()}
                      </time>
                    </p>
                    {call.reason && <p className="text-slate-600">{call.reason}</p>}
                    {call.outcome && (
                      <p className="text-slate-600">
                        {call.outcome.result ?? call.outcome.error}
                        {call.outcome.commitSha && (
                          <code className="ml-2 font-mono text-xs">{call.outcome.commitSha.slice(0, 12)}</code>
                        )}
                      </p>
                    )}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </>
  );
}
