import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { headers } from 'next/headers';
import { publicBaseUrl } from '@/lib/integrations/public-url';
import { roomMcpUrl } from '@/lib/integrations/client-configs';
import { RoomMcpUrl } from '@/components/rooms/room-mcp-url';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getRoomForUser } from '@/lib/rooms/get-room';
import { listMembers } from '@/lib/rooms/members';
import { listRoomEvents } from '@/lib/rooms/room-events';
import { can } from '@/lib/rooms/permissions';
import { revealTokenForCreator } from '@/lib/rooms/member-tokens';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card } from '@/components/ui/card';
import { RoomCredentials } from '@/components/rooms/room-credentials';
import { MembersPanel } from '@/components/rooms/members-panel';
import { ArchiveRoomButton } from '@/components/rooms/archive-room-button';
import { ConnectedAgents } from '@/components/rooms/connected-agents';
import { listConnectedSessions } from '@/lib/sessions/agent-sessions';
import { getRoomWebhook } from '@/lib/rooms/room-webhook';
import { WebhookForm } from '@/components/rooms/webhook-form';

export const metadata: Metadata = { title: 'Room' };

const EVENT_LABELS: Record<string, string> = {
  'room.created': 'created the room',
  'room.archived': 'archived the room',
  'token.revealed': 'revealed their access token',
  'token.rotated': 'rotated their access token',
  'token.revoked': "revoked a member's access token",
  'token.rotated_all': "rotated every member's access token",
  'member.added': 'added a member',
  'member.role_changed': 'changed a role',
  'member.removed': 'removed a member',
  'webhook.changed': 'changed the approvals webhook',
  'change_request.closed': 'closed a pull request',
  'room.settings_changed': 'changed the room settings',
};

async function loadRoom(userId: string, roomId: string) {
  try {
    return await getRoomForUser(userId, roomId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

export default async function RoomPage({
  params,
  searchParams,
}: {
  params: Promise<{ roomId: string }>;
  searchParams: Promise<{ created?: string }>;
}) {
  const user = await requireUser();
  const { roomId } = await params;
  const room = await loadRoom(user.id, roomId);
  const [members, events, sessions] = await Promise.all([
    listMembers(user.id, roomId),
    listRoomEvents(roomId),
    listConnectedSessions(user.id, roomId),
  ]);
  const myTokenIssuedAt = members.find((m) => m.id === user.id)?.tokenIssuedAt;
  const webhook = can(room.myRole, 'policy.edit') ? await getRoomWebhook(user.id, roomId) : null;
  const justCreated = (await searchParams).created === '1' ? await revealTokenForCreator(user.id, roomId) : undefined;

  return (
    <>
      <PageHeader
        title={room.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge>{room.repositoryKind}</Badge>
            <span className="font-mono text-xs">{room.repositoryLocation}</span>
            <span>· default branch</span>
            <code className="font-mono text-xs">{room.defaultBranch}</code>
            <span>· your role</span>
            <Badge tone="blue">{room.myRole}</Badge>
          </span>
        }
        actions={
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
            <Link href={`/rooms/${room.id}/policy`} className="text-sm font-semibold text-indigo-600 hover:underline">
              Policy →
            </Link>
            <Link href={`/rooms/${room.id}/pulls`} className="text-sm font-semibold text-indigo-600 hover:underline">
              Pull requests →
            </Link>
            {can(room.myRole, 'room.settings') && (
              <Link
                href={`/rooms/${room.id}/settings`}
                className="text-sm font-semibold text-indigo-600 hover:underline"
              >
                Settings →
              </Link>
            )}
            <Link
              href={`/integrations?room=${room.id}`}
              className="text-sm font-semibold text-indigo-600 hover:underline"
            >
              Connect an agent →
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <Card
          title="Connect an agent"
          description="Recommended: add this URL to your agent. It opens your browser to approve it and choose its role; no token goes into any file."
        >
          <RoomMcpUrl url={roomMcpUrl({ baseUrl: await agentBaseUrl(), roomId: room.id })} />
          <p className="mt-3 text-xs text-slate-500">
            Configuration for every client, and the variants with your token, are in{' '}
            <Link href={`/integrations?room=${room.id}`} className="font-semibold text-indigo-600 hover:underline">
              Integrations
            </Link>
            .
          </p>
        </Card>
        <Card title="Credentials" description="What your agents connect with. Keep your token private.">
          <RoomCredentials
            roomId={room.id}
            initialToken={justCreated}
            canRotateAll={can(room.myRole, 'token.revoke')}
          />
          {myTokenIssuedAt && (
            <p className="mt-3 text-xs text-slate-500">Your token was issued {myTokenIssuedAt.toUTCString()}.</p>
          )}
        </Card>
        <Card title="Connected agents" description="Live MCP sessions in this room.">
          <ConnectedAgents
            roomId={room.id}
            canDisconnect={can(room.myRole, 'session.disconnect')}
            sessions={sessions.map((s) => ({
              ...s,
              createdAt: s.createdAt.toISOString(),
              lastActivityAt: s.lastActivityAt.toISOString(),
            }))}
          />
        </Card>
        <Card title="Repository">
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-slate-500">Location</dt>
            <dd className="font-mono text-xs">{room.repositoryLocation}</dd>
            <dt className="text-slate-500">Default branch</dt>
            <dd className="font-mono text-xs">{room.defaultBranch}</dd>
            <dt className="text-slate-500">Protected branches</dt>
            <dd className="font-mono text-xs">{[room.defaultBranch, ...room.protectedBranches].join(', ')}</dd>
            <dt className="text-slate-500">Agent branch pattern</dt>
            <dd className="font-mono text-xs">{room.branchPattern}</dd>
          </dl>
        </Card>
        <Card title="Members" description="Each member connects agents with a role up to their own.">
          <MembersPanel
            roomId={room.id}
            members={members}
            canManage={can(room.myRole, 'members.manage')}
            myId={user.id}
          />
        </Card>
        <Card title="Activity" description="Token reveals, rotations and revocations, member changes.">
          {events.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing yet.</p>
          ) : (
            <ul className="space-y-1 text-sm" aria-label="Room activity">
              {events.map((e) => (
                <li key={e.id}>
                  <time className="text-slate-500" dateTime={e.createdAt.toISOString()}>
                    {e.createdAt.toUTCString()}
                  </time>{' '}
                  — <span className="font-medium">{e.actorName}</span> {EVENT_LABELS[e.kind] ?? e.kind}
                  {e.detail && <span className="text-slate-600"> ({e.detail})</span>}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {webhook && (
          <Card title="Approvals webhook" description="Tell a chat or incident tool about approvals as they happen.">
            <WebhookForm roomId={room.id} url={webhook.url} hasSecret={webhook.hasSecret} />
          </Card>
        )}
        {can(room.myRole, 'room.archive') && (
          <Card
            title="Archive room"
            description="Archiving ends every agent session and stops every member token from working."
          >
            <ArchiveRoomButton roomId={room.id} />
          </Card>
        )}
      </div>
    </>
  );
}

async function agentBaseUrl(): Promise<string> {
  const requestHeaders = await headers();
  return publicBaseUrl(requestHeaders.get('host'), requestHeaders.get('x-forwarded-proto')).baseUrl;
}
