// What notFound() shows inside the dashboard: an unknown page, or a room (pull request, approval,
// audit entry) that does not exist or that the user is not a member of. The two read alike, so
// the page never tells a stranger that a room exists.
import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { StatusMessage } from '@/components/ui/status-message';

export const metadata: Metadata = { title: 'Page not found' };

export default function DashboardNotFound() {
  return (
    <StatusMessage
      code="404"
      title="Page not found"
      actions={
        <>
          <Link href="/rooms" className={buttonClasses()}>
            Back to your rooms
          </Link>
          <Link href="/approvals" className={buttonClasses('secondary')}>
            Approvals inbox
          </Link>
        </>
      }
    >
      <p>This page does not exist, or it belongs to a room you are not a member of.</p>
      <p>If someone sent you this link, ask them to add you to the room.</p>
    </StatusMessage>
  );
}
