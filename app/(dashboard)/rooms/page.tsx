import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { listRooms } from '@/lib/rooms/list-rooms';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, EmptyState } from '@/components/ui/card';
import { buttonClasses } from '@/components/ui/button';
import { TableFrame } from '@/components/ui/table-frame';

export const metadata: Metadata = { title: 'Rooms' };

export default async function RoomsPage({ searchParams }: { searchParams: Promise<{ archived?: string }> }) {
  const user = await requireUser();
  const showArchived = (await searchParams).archived === '1';
  const rooms = await listRooms(user.id, { includeArchived: showArchived });
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Each room ties one repository to its policies, members and access token."
        actions={
          <Link href="/rooms/new" className={buttonClasses()}>
            New room
          </Link>
        }
      />
      {rooms.length === 0 ? (
        <EmptyState title="No rooms yet">
          Create a room for a repository, then connect your agents to it.{' '}
          <Link href="/rooms/new" className="font-semibold text-indigo-600">
            Create a room
          </Link>
        </EmptyState>
      ) : (
        <TableFrame>
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">Room</th>
                <th className="hidden px-4 py-3 sm:table-cell">Repository</th>
                <th className="px-4 py-3">My role</th>
                <th className="hidden px-4 py-3 text-right md:table-cell">Connected agents</th>
                <th className="hidden px-4 py-3 text-right md:table-cell">Pending approvals</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rooms.map((room) => (
                <tr key={room.id} className="hover:bg-slate-50">
                  <td className="w-full max-w-0 px-4 py-3 font-medium sm:w-auto sm:max-w-none">
                    <Link href={`/rooms/${room.id}`} className="text-indigo-700 hover:underline">
                      {room.name}
                    </Link>
                    {room.archived && (
                      <span className="ml-2">
                        <Badge>archived</Badge>
                      </span>
                    )}
                    {/* On a phone the other columns fold into this one. */}
                    <span className="mt-1 block truncate font-mono text-xs font-normal text-slate-500 sm:hidden">
                      {room.repositoryLocation}
                    </span>
                    <span className="mt-1 block text-xs font-normal text-slate-500 md:hidden">
                      {room.connectedAgents} connected {room.connectedAgents === 1 ? 'agent' : 'agents'}
                      {room.pendingApprovals > 0 && (
                        <>
                          {' · '}
                          <Badge tone="yellow">{room.pendingApprovals} pending</Badge>
                        </>
                      )}
                    </span>
                  </td>
                  <td
                    className="hidden max-w-xs truncate px-4 py-3 font-mono text-xs text-slate-600 sm:table-cell"
                    title={room.repositoryLocation}
                  >
                    <Badge tone="gray">{room.repositoryKind}</Badge> {room.repositoryLocation}
                  </td>
                  <td className="px-4 py-3">
                    <Badge tone={room.myRole === 'OWNER' ? 'blue' : room.myRole === 'ADMIN' ? 'yellow' : 'gray'}>
                      {room.myRole}
                    </Badge>
                  </td>
                  <td className="hidden px-4 py-3 text-right tabular-nums md:table-cell">{room.connectedAgents}</td>
                  <td className="hidden px-4 py-3 text-right tabular-nums md:table-cell">
                    {room.pendingApprovals > 0 ? <Badge tone="yellow">{room.pendingApprovals}</Badge> : 0}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableFrame>
      )}
      <p className="mt-4 text-sm">
        <Link href={showArchived ? '/rooms' : '/rooms?archived=1'} className="text-slate-600 hover:underline">
          {showArchived ? 'Hide archived rooms' : 'Show archived rooms'}
        </Link>
      </p>
    </>
  );
}
