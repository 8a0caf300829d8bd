import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { requireUser } from '@/lib/auth/session';
import { listRooms } from '@/lib/rooms/list-rooms';
import { rolesUpTo } from '@/lib/rooms/permissions';
import { myTokenForIntegrations } from '@/lib/rooms/member-tokens';
import { clientConfigs } from '@/lib/integrations/client-configs';
import { publicBaseUrl } from '@/lib/integrations/public-url';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card, EmptyState } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';

export const metadata: Metadata = { title: 'Integrations' };

export default async function IntegrationsPage({
  searchParams,
}: {
  searchParams: Promise<{ room?: string; role?: string }>;
}) {
  const user = await requireUser();
  const rooms = await listRooms(user.id);
  const query = await searchParams;
  if (rooms.length === 0) {
    return (
      <>
        <PageHeader title="Integrations" description="Ready-to-paste MCP configuration for your coding agents." />
        <EmptyState title="No rooms yet">
          Agents connect to a room.{' '}
          <Link href="/rooms/new" className="font-semibold text-indigo-600">
            Create a room
          </Link>{' '}
          first.
        </EmptyState>
      </>
    );
  }
  const room = rooms.find((r) => r.id === query.room) ?? rooms[0]!;
  const roles = rolesUpTo(room.myRole);
  const role = roles.find((r) => r === query.role) ?? 'DEVELOPER';
  const requestHeaders = await headers();
  const baseUrl = publicBaseUrl(requestHeaders.get('host'), requestHeaders.get('x-forwarded-proto'));
  const token = await myTokenForIntegrations(user.id, room.id);
  const configs = clientConfigs({ baseUrl, userId: user.id, roomId: room.id, token, role });

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Paste one of these into your agent's MCP configuration and restart it. Each contains your credentials: keep them private."
      />
      <Card>
        <form className="flex flex-wrap items-end gap-4" aria-label="Choose room and role">
          <div className="w-64">
            <Select label="Room" name="room" defaultValue={room.id}>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="w-48">
            <Select label="Role" name="role" defaultValue={role}>
              {roles.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </Select>
          </div>
          <Button type="submit" variant="secondary">
            Show configuration
          </Button>
        </form>
        <p className="mt-3 text-xs text-slate-500">
          Start with DEVELOPER; promote an agent to ADMIN or OWNER only if it needs more. You can choose roles up to
          your own ({room.myRole}).
        </p>
      </Card>
      <div className="mt-6 space-y-6">
        {configs.map((c) => {
          const label = `${c.client} (${c.transport})`;
          return (
            <Card
              key={label}
              title={c.client}
              description={
                <span className="flex flex-wrap items-center gap-2">
                  <Badge tone={c.transport === 'SSE' ? 'gray' : 'blue'}>{c.transport}</Badge>
                  {c.files.map((f) => (
                    <code key={f} className="font-mono text-xs">
                      {f}
                    </code>
                  ))}
                </span>
              }
              actions={<CopyButton value={c.content} label={`Copy ${label} configuration`} />}
            >
              {c.note && <p className="mb-2 text-xs text-slate-600">{c.note}</p>}
              <pre
                aria-label={`${label} configuration`}
                data-language={c.language}
                className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100"
              >
                {c.content}
              </pre>
            </Card>
          );
        })}
      </div>
    </>
  );
}
