// The 404 page for any URL no route serves, signed in or not (the dashboard has its own, inside
// its navigation: app/(dashboard)/not-found.tsx).
import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { Logo } from '@/components/ui/logo';
import { StatusMessage } from '@/components/ui/status-message';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <Link href="/" aria-label="Aegis home">
        <Logo size="lg" />
      </Link>
      <StatusMessage
        code="404"
        title="Page not found"
        actions={
          <>
            <Link href="/" className={buttonClasses()}>
              Go to the start page
            </Link>
            <Link href="/rooms" className={buttonClasses('secondary')}>
              Your rooms
            </Link>
          </>
        }
      >
        <p>There is nothing at this address. Check the link, or start again from the start page.</p>
      </StatusMessage>
    </main>
  );
}
