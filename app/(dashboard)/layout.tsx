import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { NavLink } from '@/components/dashboard/nav-link';
import { SignOutButton } from '@/components/dashboard/sign-out-button';
import { ApprovalsBadge } from '@/components/approvals/live-approvals';
import { pendingApprovalCount } from '@/lib/approvals/list-approvals';

export const dynamic = 'force-dynamic';

const NAV = [
  { href: '/rooms', label: 'Rooms' },
  { href: '/approvals', label: 'Approvals' },
  { href: '/audit', label: 'Audit log' },
  { href: '/integrations', label: 'Integrations' },
  { href: '/settings/profile', label: 'Settings' },
];

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const pending = await pendingApprovalCount(user.id);
  return (
    <div className="flex min-h-screen">
      <aside className="flex w-56 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-5">
        <Link href="/rooms" className="mb-6 px-3 text-xl font-bold tracking-tight text-indigo-600">
          Aegis
        </Link>
        <nav aria-label="Main" className="flex flex-col gap-1">
          {NAV.map((item) => (
            <NavLink key={item.href} href={item.href}>
              {item.label}
              {item.href === '/approvals' && <ApprovalsBadge key={pending} initial={pending} />}
            </NavLink>
          ))}
        </nav>
        <div className="mt-auto border-t border-slate-200 px-3 pt-4">
          <p className="truncate text-sm font-medium text-slate-900">{user.name}</p>
          <p className="mb-2 truncate text-xs text-slate-500">{user.email}</p>
          <SignOutButton />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-8">
        <div className="mx-auto max-w-5xl">{children}</div>
      </main>
    </div>
  );
}
