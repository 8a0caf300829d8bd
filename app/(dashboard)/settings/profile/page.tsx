import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { getUserProfile } from '@/lib/users/update-profile';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Badge, EmptyState } from '@/components/ui/card';
import { TableFrame } from '@/components/ui/table-frame';
import { formatUtc } from '@/components/audit/format';
import { listGrants } from '@/lib/oauth/grants';
import { NameForm, PasswordForm } from './profile-forms';
import { RevokeGrantButton } from './authorised-agents';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await getUserProfile((await requireUser()).id);
  const grants = await listGrants(user.id);
  return (
    <>
      <PageHeader title="Profile" description="Your account, and the user ID your agents connect with." />
      <div className="space-y-6">
        <Card
          title="User ID"
          description={
            <>
              Agents send this as <code className="font-mono">user_id</code> when they connect to Aegis.
            </>
          }
        >
          <div className="flex items-center gap-3">
            <code data-testid="user-id" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm">
              {user.id}
            </code>
            <CopyButton value={user.id} label="Copy user ID" />
          </div>
          <p className="mt-3 text-sm text-slate-600">Email: {user.email}</p>
        </Card>
        <Card
          title="Authorised agents"
          description="Agents you connected with their room's MCP URL and approved in the browser. Revoking one ends its sessions at once."
        >
          {grants.length === 0 ? (
            <EmptyState title="No authorised agents">
              Add a room&apos;s MCP URL (on the room page) to your agent; it asks you to approve it here in the browser.
            </EmptyState>
          ) : (
            <TableFrame bare>
              <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Authorised agents">
                <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="px-3 py-2">Agent</th>
                    <th className="px-3 py-2">Room</th>
                    <th className="px-3 py-2">Role</th>
                    <th className="px-3 py-2">Approved</th>
                    <th className="px-3 py-2">Last used</th>
                    {/* relative: the screen-reader-only label must stay inside the table's scroller */}
                    <th className="relative px-3 py-2">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {grants.map((grant) => (
                    <tr key={grant.id}>
                      <td className="px-3 py-2">
                        <p className="font-medium text-slate-900">{grant.clientName}</p>
                        <p className="font-mono text-xs text-slate-500">{grant.redirectHost}</p>
                      </td>
                      <td className="px-3 py-2">{grant.roomName}</td>
                      <td className="px-3 py-2">
                        <Badge tone="blue">{grant.role}</Badge>
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">
                        <time dateTime={grant.createdAt.toISOString()}>{formatUtc(grant.createdAt)}</time>
                      </td>
                      <td className="whitespace-nowrap px-3 py-2">
                        {grant.lastUsedAt ? (
                          <time dateTime={grant.lastUsedAt.toISOString()}>{formatUtc(grant.lastUsedAt)}</time>
                        ) : (
                          'never'
                        )}
                      </td>
                      <td className="px-3 py-2 text-right">
                        <RevokeGrantButton grantId={grant.id} label={`${grant.clientName} in ${grant.roomName}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableFrame>
          )}
        </Card>
        <Card title="Name">
          <NameForm name={user.name} />
        </Card>
        <Card title="Password">
          <PasswordForm />
        </Card>
      </div>
    </>
  );
}
