import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { getUserProfile } from '@/lib/users/update-profile';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { NameForm, PasswordForm } from './profile-forms';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await getUserProfile((await requireUser()).id);
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
