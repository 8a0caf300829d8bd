'use client';

// What a page outside the dashboard (the start page, sign-in) shows when it fails unexpectedly:
// a plain message and "Try again", never the error's message or stack.
import Link from 'next/link';
import { Button, buttonClasses } from '@/components/ui/button';
import { Logo } from '@/components/ui/logo';
import { StatusMessage, errorDigest } from '@/components/ui/status-message';

export default function RootError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = errorDigest(error);
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <Logo size="lg" />
      <StatusMessage
        code="Error"
        title="This page could not be loaded"
        actions={
          <>
            <Button onClick={() => retry()}>Try again</Button>
            <Link href="/" className={buttonClasses('secondary')}>
              Go to the start page
            </Link>
          </>
        }
      >
        <p>Something went wrong on our side. Trying again often works.</p>
        {digest && (
          <p className="text-xs text-slate-500">
            Reference for your operator: <code className="font-mono">{digest}</code>
          </p>
        )}
      </StatusMessage>
    </main>
  );
}
