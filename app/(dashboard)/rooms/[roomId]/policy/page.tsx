import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getRoomForUser } from '@/lib/rooms/get-room';
import { listMembers } from '@/lib/rooms/members';
import { can } from '@/lib/rooms/permissions';
import { getRoomPolicy, listPolicyVersions } from '@/lib/policies/room-policy';
import { activeFreezeWindow } from '@/lib/policy/freeze-windows';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card } from '@/components/ui/card';
import { buttonClasses } from '@/components/ui/button';
import { PolicyWorkspace } from '@/components/policy/policy-workspace';

export const metadata: Metadata = { title: 'Policy' };

function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function loadRoom(userId: string, roomId: string) {
  try {
    return await getRoomForUser(userId, roomId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function RoomPolicyPage({ params }: { params: Promise<{ roomId: string }> }) {
  const user = await requireUser();
  const { roomId } = await params;
  const room = await loadRoom(user.id, roomId);
  const [policy, versions, members] = await Promise.all([
    getRoomPolicy(user.id, roomId),
    listPolicyVersions(user.id, roomId),
    listMembers(user.id, roomId),
  ]);
  const canEdit = can(room.myRole, 'policy.edit');
  const names = new Map(members.map((m) => [m.id, m.name]));
  const who = (id: string | null) => (id === user.id ? 'you' : id ? (names.get(id) ?? 'a former member') : 'Aegis');
  const active = activeFreezeWindow(policy.document.freezeWindows, new Date());
  const exportHref = (format: 'json' | 'yaml') => `/api/rooms/${room.id}/policy?format=${format}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href="/rooms" className="hover:text-slate-700 hover:underline">
          Rooms
        </Link>{' '}
        /{' '}
        <Link href={`/rooms/${room.id}`} className="hover:text-slate-700 hover:underline">
          {room.name}
        </Link>{' '}
        / <span className="text-slate-700">Policy</span>
      </nav>
      <PageHeader
        title="Policy"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="blue">Version {policy.version}</Badge>
            {policy.createdAt ? (
              <span>
                saved by <span className="font-medium text-slate-800">{who(policy.createdById)}</span> on{' '}
                <time dateTime={policy.createdAt.toISOString()}>{formatUtc(policy.createdAt)}</time>
              </span>
            ) : (
              <span>the default policy every new room starts with (never edited)</span>
            )}
            {!canEdit && <Badge>read-only: only ADMINs and OWNERs edit the policy</Badge>}
          </span>
        }
        actions={
          <>
            <a href={exportHref('json')} download className={buttonClasses('secondary', 'sm')}>
              Export JSON
            </a>
            <a href={exportHref('yaml')} download className={buttonClasses('secondary', 'sm')}>
              Export YAML
            </a>
          </>
        }
      />
      {active && (
        <div
          role="status"
          className="mb-6 rounded-lg bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200"
        >
          Freeze window <strong>{active.name}</strong> is in effect now: rules matching “during a freeze window” apply.
        </div>
      )}
      <PolicyWorkspace
        roomId={room.id}
        version={policy.version}
        document={policy.document}
        canEdit={canEdit}
        room={{
          defaultBranch: room.defaultBranch,
          protectedBranches: room.protectedBranches,
          branchPattern: room.branchPattern,
        }}
        activeFreezeWindow={active?.name ?? null}
      />
      <div className="mt-6">
        <Card title="History" description="Every save is a new version; agents always get the newest.">
          {versions.length === 0 ? (
            <p className="text-sm text-slate-500">Never edited: the room runs the default policy (version 0).</p>
          ) : (
            <table className="w-full text-sm" aria-label="Policy versions">
              <thead>
                <tr className="text-left text-xs text-slate-500">
                  <th className="pb-2 font-medium">Version</th>
                  <th className="pb-2 font-medium">Saved by</th>
                  <th className="pb-2 font-medium">When</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {versions.map((v) => (
                  <tr key={v.version}>
                    <td className="py-1.5 tabular-nums">
                      {v.version}
                      {v.version === policy.version && (
                        <span className="ml-2">
                          <Badge tone="green">current</Badge>
                        </span>
                      )}
                    </td>
                    <td className="py-1.5">{who(v.createdById)}</td>
                    <td className="py-1.5 text-slate-600">
                      <time dateTime={v.createdAt.toISOString()}>{formatUtc(v.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </>
  );
}
