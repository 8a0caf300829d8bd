import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getRoomForUser } from '@/lib/rooms/get-room';
import { can } from '@/lib/rooms/permissions';
import { getRoomSettings } from '@/lib/rooms/update-room-settings';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card } from '@/components/ui/card';
import { RoomSettingsForm } from '@/components/rooms/room-settings-form';

export const metadata: Metadata = { title: 'Room settings' };

async function loadRoom(userId: string, roomId: string) {
  try {
    return await getRoomForUser(userId, roomId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function RoomSettingsPage({ params }: { params: Promise<{ roomId: string }> }) {
  const user = await requireUser();
  const { roomId } = await params;
  const room = await loadRoom(user.id, roomId);
  const canEdit = can(room.myRole, 'room.settings');
  const settings = canEdit ? await getRoomSettings(user.id, roomId) : null;

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
        / <span className="text-slate-700">Settings</span>
      </nav>
      <PageHeader
        title="Room settings"
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge>{room.repositoryKind}</Badge>
            <span className="font-mono text-xs break-all">{room.repositoryLocation}</span>
            {!canEdit && <Badge>read-only: only ADMINs and OWNERs change a room&apos;s settings</Badge>}
          </span>
        }
      />
      {settings ? (
        <Card
          title="Branches and repository access"
          description="Changes apply to the next call of every agent in the room; each change is recorded in the room's activity."
        >
          <RoomSettingsForm
            roomId={room.id}
            repositoryKind={settings.repositoryKind}
            current={{
              defaultBranch: settings.defaultBranch,
              protectedBranches: settings.protectedBranches.join('\n'),
              branchPattern: settings.branchPattern,
            }}
            hasCredentials={settings.hasCredentials}
          />
        </Card>
      ) : (
        <Card title="Branches">
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Default branch</dt>
            <dd className="font-mono text-xs">{room.defaultBranch}</dd>
            <dt className="text-slate-500">Protected branches</dt>
            <dd className="font-mono text-xs">{room.protectedBranches.join(', ') || 'none besides the default'}</dd>
            <dt className="text-slate-500">Agent branch pattern</dt>
            <dd className="font-mono text-xs">{room.branchPattern}</dd>
          </dl>
        </Card>
      )}
    </>
  );
}
