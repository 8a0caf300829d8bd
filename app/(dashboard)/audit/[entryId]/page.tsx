import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getAuditEntry } from '@/lib/audit/list-audit-entries';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { BlastRadiusBadge, DecisionBadge, OutcomeBadge } from '@/components/audit/decision-badge';
import { formatDuration, formatUtc } from '@/components/audit/format';
import { CodeBlock } from '@/components/ui/code-block';

export const metadata: Metadata = { title: 'Audit entry' };

async function loadEntry(userId: string, entryId: string) {
  try {
    return await getAuditEntry(userId, entryId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

function Field({ label, children, mono = false }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <div className="py-2 sm:grid sm:grid-cols-4 sm:gap-4">
      <dt className="text-sm font-medium text-slate-500">{label}</dt>
      <dd className={`mt-1 text-sm text-slate-900 sm:col-span-3 sm:mt-0 ${mono ? 'break-all font-mono text-xs' : ''}`}>
        {children ?? <span className="text-slate-400">—</span>}
      </dd>
    </div>
  );
}

export default async function AuditEntryPage({ params }: { params: Promise<{ entryId: string }> }) {
  const user = await requireUser();
  const { entryId } = await params;
  const { entry, outcomes, room, actor } = await loadEntry(user.id, decodeURIComponent(entryId));

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/audit?room=${encodeURIComponent(room.id)}`} className="text-slate-600 hover:underline">
          ← Audit log of {room.name}
        </Link>
      </p>
      <PageHeader
        title={`${entry.tool} call`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <DecisionBadge decision={entry.decision} />
            <span>
              in {room.name} · entry #{entry.seq} · {formatUtc(entry.createdAt)}
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        <Card title="Call">
          <dl className="divide-y divide-slate-100">
            <Field label="Time">{formatUtc(entry.createdAt)}</Field>
            <Field label="Room">
              <Link href={`/rooms/${room.id}`} className="text-indigo-700 hover:underline">
                {room.name}
              </Link>
            </Field>
            <Field label="User">
              {actor.name ? `${actor.name} (${actor.email})` : 'a former user'}{' '}
              <span className="font-mono text-xs text-slate-500">{entry.userId}</span>
            </Field>
            <Field label="Role">{entry.role}</Field>
            <Field label="Session">
              {entry.sessionId ? (
                <Link
                  href={`/rooms/${room.id}/sessions/${encodeURIComponent(entry.sessionId)}`}
                  className="font-mono text-xs text-indigo-700 hover:underline"
                >
                  {entry.sessionId}
                </Link>
              ) : null}
            </Field>
            <Field label="Client">{entry.clientName}</Field>
            <Field label="Tool" mono>
              {entry.tool}
            </Field>
            <Field label="Decision">
              <DecisionBadge decision={entry.decision} />
            </Field>
            <Field label="Rule" mono>
              {entry.ruleId}
            </Field>
            <Field label="Reason">{entry.reason}</Field>
            <Field label="Policy version">{entry.policyVersion}</Field>
            <Field label="Blast radius">
              <BlastRadiusBadge blastRadius={entry.blastRadius} />
            </Field>
          </dl>
        </Card>

        <Card title="Arguments" description="As recorded, with secrets redacted and file contents summarised.">
          <CodeBlock tone="dark" maxHeight="max-h-[32rem]" className="p-4">
            {JSON.stringify(entry.arguments, null, 2)}
          </CodeBlock>
        </Card>

        <Card title="Outcome">
          {outcomes.length === 0 ? (
            <p className="text-sm text-slate-600">
              {['block', 'invalid', 'refused', 'error'].includes(entry.decision)
                ? 'Nothing ran: the call was refused.'
                : 'No outcome recorded yet.'}
            </p>
          ) : (
            <ol className="space-y-4" aria-label="Outcomes">
              {outcomes.map((outcome) => (
                <li key={outcome.id}>
                  <dl className="divide-y divide-slate-100">
                    <Field label="Status">
                      <OutcomeBadge status={outcome.status} />{' '}
                      <span className="text-xs text-slate-500">
                        at {formatUtc(outcome.createdAt)} · entry #{outcome.seq}
                      </span>
                    </Field>
                    <Field label="Result">{outcome.result}</Field>
                    {outcome.error && <Field label="Error">{outcome.error}</Field>}
                    <Field label="Duration">{formatDuration(outcome.durationMs)}</Field>
                    <Field label="Commit" mono>
                      {outcome.commitSha}
                    </Field>
                    <Field label="Branch" mono>
                      {outcome.branch}
                    </Field>
                    <Field label="Pull request">{outcome.pullRequest ? `#${outcome.pullRequest}` : null}</Field>
                  </dl>
                </li>
              ))}
            </ol>
          )}
        </Card>

        <Card
          title="Chain"
          description="This entry’s hash covers its content and the previous entry’s hash; change either and verification fails here."
        >
          <dl className="divide-y divide-slate-100">
            <Field label="Entry">
              #{entry.seq} <span className="font-mono text-xs text-slate-500">{entry.id}</span>
            </Field>
            <Field label="Previous hash" mono>
              {entry.prevHash}
            </Field>
            <Field label="Hash" mono>
              {entry.hash}
            </Field>
          </dl>
        </Card>
      </div>
    </>
  );
}
