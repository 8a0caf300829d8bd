'use client';

import Link from 'next/link';
import { useState, useTransition } from 'react';
import { Badge, EmptyState } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError } from '@/components/ui/field';
import { TableFrame } from '@/components/ui/table-frame';
import { disconnectSessionAction } from '@/app/(dashboard)/rooms/actions';

// Columns a narrow screen leaves out (the Agent cell repeats what matters of them).
const SM_UP = 'hidden sm:table-cell';
const MD_UP = 'hidden md:table-cell';
const LG_UP = 'hidden lg:table-cell';

export type SessionRow = {
  id: string;
  userName: string;
  role: string;
  transport: string;
  clientName: string | null;
  clientVersion: string | null;
  createdAt: string;
  lastActivityAt: string;
};

export function ConnectedAgents({
  roomId,
  sessions,
  canDisconnect,
}: {
  roomId: string;
  sessions: SessionRow[];
  canDisconnect: boolean;
}) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  if (sessions.length === 0) {
    return (
      <EmptyState title="No agents connected">Agents appear here while they hold a connection to this room.</EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <TableFrame bare>
        <table className="min-w-full text-sm" aria-label="Connected agents">
          <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-4">Agent</th>
              <th className={`py-2 pr-4 ${SM_UP}`}>User</th>
              <th className="py-2 pr-4">Role</th>
              <th className={`py-2 pr-4 ${MD_UP}`}>Transport</th>
              <th className={`py-2 pr-4 ${LG_UP}`}>Connected since</th>
              <th className={`py-2 pr-4 ${MD_UP}`}>Last activity</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sessions.map((s) => (
              <tr key={s.id}>
                <td className="py-2 pr-4 wrap-anywhere sm:min-w-44">
                  <Link
                    href={`/rooms/${roomId}/sessions/${s.id}`}
                    className="font-medium text-indigo-700 hover:underline"
                  >
                    {s.clientName ?? 'unknown client'}
                  </Link>{' '}
                  <span className="text-xs text-slate-500">{s.clientVersion}</span>
                  {/* On a phone the columns left out fold in here. */}
                  <span className="mt-0.5 block text-xs text-slate-500 md:hidden">
                    <span className="sm:hidden">{s.userName} · </span>
                    {s.transport} · active {new Date(s.lastActivityAt).toUTCString()}
                  </span>
                </td>
                <td className={`py-2 pr-4 ${SM_UP}`}>{s.userName}</td>
                <td className="py-2 pr-4">
                  <Badge>{s.role}</Badge>
                </td>
                <td className={`py-2 pr-4 text-slate-600 ${MD_UP}`}>{s.transport}</td>
                <td className={`py-2 pr-4 text-slate-600 ${LG_UP}`}>{new Date(s.createdAt).toUTCString()}</td>
                <td className={`py-2 pr-4 text-slate-600 ${MD_UP}`}>{new Date(s.lastActivityAt).toUTCString()}</td>
                <td className="py-2 text-right">
                  {canDisconnect && (
                    <ConfirmButton
                      question="Disconnect this agent?"
                      confirmLabel="Disconnect"
                      pending={pending}
                      onConfirm={() =>
                        startTransition(async () => {
                          const result = await disconnectSessionAction(roomId, s.id);
                          setError(result.ok ? undefined : result.message);
                        })
                      }
                    >
                      Disconnect
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableFrame>
    </div>
  );
}
