import Link from 'next/link';
import type { AuditLogItem } from '@/lib/audit/list-audit-entries';
import { DecisionBadge, OutcomeBadge } from './decision-badge';
import { formatDuration, formatUtc, shortSha } from './format';

const CELL = 'px-3 py-2.5';
const SUBTLE = 'mt-0.5 block text-xs text-slate-500';

/**
 * The calls of the audit log, newest first; each row's time opens the call's detail. Related values
 * share a cell (user and role, decision and rule, outcome and duration) so the table fits the page.
 */
export function AuditTable({ entries }: { entries: AuditLogItem[] }) {
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit log">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className={CELL}>Time (UTC)</th>
            <th className={CELL}>Room</th>
            <th className={CELL}>User · role</th>
            <th className={CELL}>Client</th>
            <th className={CELL}>Tool</th>
            <th className={CELL}>Decision · rule</th>
            <th className={CELL}>Outcome</th>
            <th className={CELL}>Commit</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((entry) => {
            const [date, time] = formatUtc(entry.createdAt).replace(' UTC', '').split(' ');
            return (
              <tr key={entry.id} className="align-top hover:bg-slate-50">
                <td className={`${CELL} whitespace-nowrap font-mono text-xs`}>
                  <Link
                    href={`/audit/${entry.id}`}
                    className="text-indigo-700 hover:underline"
                    aria-label={`Details of ${entry.tool} at ${formatUtc(entry.createdAt)}`}
                  >
                    <span className="block">{time}</span>
                    <span className="block text-slate-500">{date}</span>
                  </Link>
                </td>
                <td className={`${CELL} max-w-36 truncate`} title={entry.roomName}>
                  {entry.roomName}
                </td>
                <td className={`${CELL} max-w-44`}>
                  <span className="block truncate" title={entry.actor.email ?? entry.userId}>
                    {entry.actor.name ?? <span className="font-mono text-xs">{entry.userId}</span>}
                  </span>
                  <span className={SUBTLE}>{entry.role}</span>
                </td>
                <td className={`${CELL} max-w-32 truncate text-slate-600`} title={entry.clientName ?? undefined}>
                  {entry.clientName ?? <span className="text-slate-400">—</span>}
                </td>
                <td className={`${CELL} whitespace-nowrap font-mono text-xs`}>{entry.tool}</td>
                <td className={`${CELL} max-w-44`}>
                  <DecisionBadge decision={entry.decision} />
                  {entry.ruleId && (
                    <span className={`${SUBTLE} truncate font-mono`} title={entry.reason ?? entry.ruleId}>
                      {entry.ruleId}
                    </span>
                  )}
                </td>
                <td className={`${CELL} whitespace-nowrap`}>
                  <OutcomeBadge status={entry.outcome?.status} />
                  {entry.outcome?.durationMs != null && (
                    <span className={`${SUBTLE} tabular-nums`}>{formatDuration(entry.outcome.durationMs)}</span>
                  )}
                </td>
                <td className={`${CELL} font-mono text-xs`} title={entry.outcome?.commitSha ?? undefined}>
                  {shortSha(entry.outcome?.commitSha) ?? <span className="text-slate-400">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
