import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { requireUser } from '@/lib/auth/session';
import { listRooms } from '@/lib/rooms/list-rooms';
import { rolesUpTo } from '@/lib/rooms/permissions';
import { myTokenForIntegrations } from '@/lib/rooms/member-tokens';
import { clientConfigs, roomMcpUrl, type ClientConfig } from '@/lib/integrations/client-configs';
import { publicBaseUrl } from '@/lib/integrations/public-url';
import { PageHeader } from '@/components/ui/page-header';
import { Badge, Card, EmptyState } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';
import { Tabs } from '@/components/ui/tabs';

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
  const { baseUrl, refusedPageHost } = publicBaseUrl(
    requestHeaders.get('host'),
    requestHeaders.get('x-forwarded-proto'),
  );
  const token = await myTokenForIntegrations(user.id, room.id);
  const configs = clientConfigs({ baseUrl, userId: user.id, roomId: room.id, token, role });

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Add Aegis to your agent's MCP configuration and restart it. Recommended: the room's MCP URL — your agent asks you to approve it in the browser, and no secret goes into any file. The other variants hold your own access token for the room: keep them private."
      />
      <Card>
        <form className="flex flex-wrap items-end gap-4" aria-label="Choose room and role" noValidate>
          <div className="w-full sm:w-64">
            <Select label="Room" name="room" defaultValue={room.id}>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </Select>
          </div>
          <div className="w-full sm:w-48">
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
        <div className="mt-4 rounded-md bg-indigo-50 p-3 ring-1 ring-indigo-100">
          <p className="text-sm font-semibold text-slate-900">MCP URL of {room.name}</p>
          <div className="mt-1 flex min-w-0 flex-wrap items-center gap-2">
            <code aria-label="Room MCP URL" className="min-w-0 break-all font-mono text-sm text-slate-900">
              {roomMcpUrl({ baseUrl, roomId: room.id })}
            </code>
            <CopyButton value={roomMcpUrl({ baseUrl, roomId: room.id })} label="Copy room MCP URL" />
          </div>
          <p className="mt-1 text-xs text-slate-600">
            For agents that sign in with OAuth: you choose the role when you approve, not here.
          </p>
        </div>
        <p className="mt-3 text-xs text-slate-500">
          Start with DEVELOPER; promote an agent to ADMIN or OWNER only if it needs more. You can choose roles up to
          your own ({room.myRole}).
        </p>
        {refusedPageHost && (
          <p role="note" className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            You opened this page on <code className="font-mono">{refusedPageHost}</code>, which the gateway does not
            serve (it refuses hosts it was not configured for). These configurations use{' '}
            <code className="font-mono">{baseUrl}</code>; to connect agents through{' '}
            <code className="font-mono">{refusedPageHost}</code>, start Aegis with <code>AEGIS_PUBLIC_URL</code> set to
            that address.
          </p>
        )}
      </Card>
      <div className="mt-6">
        <Card>
          <Tabs
            label="Agent clients"
            tabs={configs.map((c) => ({ id: c.slug, label: c.client, panel: <ClientPanel config={c} /> }))}
          />
        </Card>
      </div>
    </>
  );
}

function ClientPanel({ config }: { config: ClientConfig }) {
  return (
    <div className="space-y-6">
      {config.variants.map((variant) => {
        const name = `${config.client} (${variant.transport})`;
        return (
          <section key={variant.transport} aria-label={name} className="space-y-3">
            <h2 className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
              {config.client}
              <Badge tone={variant.transport === 'SSE (legacy)' ? 'gray' : 'blue'}>{variant.transport}</Badge>
              {variant.transport === 'OAuth' && (
                <span className="text-xs font-normal text-slate-500">recommended: no token to paste</span>
              )}
              {variant.transport === 'Streamable HTTP' && (
                <span className="text-xs font-normal text-slate-500">with your token</span>
              )}
            </h2>
            {variant.note && <p className="text-xs text-slate-600">{variant.note}</p>}
            {variant.snippets.map((snippet) => (
              <div key={snippet.where}>
                <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
                  <code className="font-mono text-xs text-slate-600">{snippet.where}</code>
                  <CopyButton value={snippet.content} label={`Copy ${name}: ${snippet.where}`} />
                </div>
                <pre
                  aria-label={`${name}: ${snippet.where}`}
                  data-language={snippet.language}
                  className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100"
                >
                  {snippet.content}
                </pre>
              </div>
            ))}
          </section>
        );
      })}
    </div>
  );
}
