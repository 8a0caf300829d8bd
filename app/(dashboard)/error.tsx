'use client';

// What a dashboard page shows when it fails unexpectedly (the database is down, say): a plain
// message, "Try again", and the error's reference for matching the server's log. Never the
// error's message or stack: the server does not send them, and the page would not show them.
import Link from 'next/link';
import { Button, buttonClasses } from '@/components/ui/button';
import { StatusMessage, errorDigest } from '@/components/ui/status-message';

export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = errorDigest(error);
  return (
    <StatusMessage
      code="Error"
      title="This page could not be loaded"
      actions={
        <>
          <Button onClick={() => retry()}>Try again</Button>
          <Link href="/rooms" className={buttonClasses('secondary')}>
            Back to your rooms
          </Link>
        </>
      }
    >
      <p>
        Something went wrong on our side. Trying again often works; if it keeps happening, give your operator the
        reference below.
      </p>
      {digest && (
        <p className="text-xs text-slate-500">
          Reference for your operator: <code className="font-mono">{digest}</code>
        </p>
      )}
    </StatusMessage>
  );
}
