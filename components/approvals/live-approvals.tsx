'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Calls `onChange` whenever an approval in one of the user's rooms changes (server-sent events). */
function useApprovalEvents(onChange: () => void) {
  useEffect(() => {
    const source = new EventSource('/api/approvals/stream');
    source.addEventListener('approval', onChange);
    // Changes between this page's render and the stream's subscription (or while it reconnected)
    // were not sent: catch up once the server says it is listening.
    source.addEventListener('ready', onChange);
    return () => source.close();
  }, [onChange]);
}

/** The navigation's count of approvals waiting for me, kept current live (re-keyed by the server's count). */
export function ApprovalsBadge({ initial }: { initial: number }) {
  const [count, setCount] = useState(initial);
  const [refresh] = useState(() => async () => {
    const response = await fetch('/api/approvals/count', { cache: 'no-store' });
    if (response.ok) setCount((await response.json()).pending);
  });
  useApprovalEvents(refresh);
  if (count === 0) return null;
  return (
    <span
      aria-label={`${count} pending approvals`}
      className="rounded-full bg-amber-500 px-2 py-0.5 text-xs font-semibold text-white"
    >
      {count}
    </span>
  );
}

/** Re-renders the current page (server components) when approvals change: a live inbox without reloads. */
export function LiveRefresh() {
  const router = useRouter();
  const [refresh] = useState(() => () => router.refresh());
  useApprovalEvents(refresh);
  return null;
}
