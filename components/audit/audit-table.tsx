import Link from 'next/link';
import type { AuditLogItem } from '@/lib/audit/list-audit-entries';
import { TableFrame } from '@/components/ui/table-frame';
import { DecisionBadge, OutcomeBadge } from './decision-badge';
import { formatDuration, formatUtc, shortSha } from './format';

const CELL = 'px-2 py-2.5 sm:px-3';
const SUBTLE = 'mt-0.5 block text-xs text-slate-500';
// Columns a phone leaves out: the Tool cell repeats the room and the user there, the Decision cell
// the outcome.
const WIDE_ONLY = 'hidden sm:table-cell';
const WIDER_ONLY = 'hidden md:table-cell';

/**
 * The calls of the audit log, newest first; each row's time opens the call's detail. Related values
 * share a cell (user and role, decision and rule, outcome and duration) so the table fits the page;
 * on a phone the Tool cell also carries the room and the user.
 */
export function AuditTable({ entries }: { entries: AuditLogItem[] }) {
  return (
    <TableFrame>
      <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit log">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className={CELL}>Time (UTC)</th>
            <th className={`${CELL} ${WIDE_ONLY}`}>Room</th>
            <th className={`${CELL} ${WIDE_ONLY}`}>User · role</th>
            <th className={`${CELL} ${WIDER_ONLY}`}>Client</th>
            <th className={CELL}>Tool</th>
            <th className={CELL}>Decision · rule</th>
            <th className={`${CELL} ${WIDE_ONLY}`}>Outcome</th>
            <th className={`${CELL} ${WIDER_ONLY}`}>Commit</th>
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
                <td className={`${CELL} ${WIDE_ONLY} max-w-36 truncate`} title={entry.roomName}>
                  {entry.roomName}
                </td>
                <td className={`${CELL} ${WIDE_ONLY} max-w-44`}>
                  <span className="block truncate" title={entry.actor.email ?? entry.userId}>
                    {entry.actor.name ?? <span className="font-mono text-xs">{entry.userId}</span>}
                  </span>
                  <span className={SUBTLE}>{entry.role}</span>
                </td>
                <td
                  className={`${CELL} ${WIDER_ONLY} max-w-32 truncate text-slate-600`}
                  title={entry.clientName ?? undefined}
                >
                  {entry.clientName ?? <span className="text-slate-400">—</span>}
                </td>
                <td className={`${CELL} max-w-40 sm:max-w-none`}>
                  <span className="block font-mono text-xs whitespace-nowrap">{entry.tool}</span>
                  <span className={`${SUBTLE} truncate sm:hidden`}>{entry.roomName}</span>
                  <span className={`${SUBTLE} truncate sm:hidden`}>{entry.actor.name ?? entry.userId}</span>
                </td>
                <td className={`${CELL} max-w-36 whitespace-nowrap sm:max-w-44`}>
                  <DecisionBadge decision={entry.decision} />
                  {entry.ruleId && (
                    <span className={`${SUBTLE} truncate font-mono`} title={entry.reason ?? entry.ruleId}>
                      {entry.ruleId}
                    </span>
                  )}
                  {entry.outcome && (
                    <span className="mt-1 block sm:hidden">
                      <OutcomeBadge status={entry.outcome.status} />
                    </span>
                  )}
                </td>
                <td className={`${CELL} ${WIDE_ONLY} whitespace-nowrap`}>
                  <OutcomeBadge status={entry.outcome?.status} />
                  {entry.outcome?.durationMs != null && (
                    <span className={`${SUBTLE} tabular-nums`}>{formatDuration(entry.outcome.durationMs)}</span>
                  )}
                </td>
                <td className={`${CELL} ${WIDER_ONLY} font-mono text-xs`} title={entry.outcome?.commitSha ?? undefined}>
                  {shortSha(entry.outcome?.commitSha) ?? <span className="text-slate-400">—</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableFrame>
  );
}
