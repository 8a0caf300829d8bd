import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { Logo } from '@/components/ui/logo';
import { DashboardShell } from '@/components/dashboard/dashboard-shell';
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
    <DashboardShell
      sidebar={
        <>
          <Link href="/rooms" className="mb-6 hidden px-3 lg:block">
            <Logo />
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
        </>
      }
    >
      {children}
    </DashboardShell>
  );
}
