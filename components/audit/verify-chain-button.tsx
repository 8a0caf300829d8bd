'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';

type Verification =
  | { intact: true; entries: number }
  | { intact: false; entries: number; brokenAt: { seq: number; entryId: string | null; reason: string } };

type State =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'done'; result: Verification }
  | { kind: 'failed'; message: string };

/** Recomputes a room's audit chain on the server and says whether it is intact, or where it breaks. */
export function VerifyChainButton({ roomId, roomName }: { roomId: string; roomName?: string }) {
  const [state, setState] = useState<State>({ kind: 'idle' });

  async function verify() {
    setState({ kind: 'checking' });
    try {
      const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/audit/verify`, { cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        setState({ kind: 'failed', message: body?.message ?? `The server answered ${response.status}` });
        return;
      }
      setState({ kind: 'done', result: body as Verification });
    } catch {
      setState({ kind: 'failed', message: 'The server could not be reached' });
    }
  }

  const broken = state.kind === 'done' && !state.result.intact;
  const label = roomName ? `Verify chain of ${roomName}` : 'Verify chain';
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button variant="secondary" size="sm" onClick={verify} disabled={state.kind === 'checking'} aria-label={label}>
        {state.kind === 'checking' ? 'Verifying…' : 'Verify chain'}
      </Button>
      {/* A polite live region for progress and success; a broken chain or a failure is an alert. */}
      <p role="status" aria-live="polite" className="text-sm">
        {state.kind === 'checking' && <span className="text-slate-500">Recomputing every entry’s hash…</span>}
        {state.kind === 'done' && state.result.intact && (
          <span className="font-medium text-emerald-700">
            ✓ Chain intact ({state.result.entries} {state.result.entries === 1 ? 'entry' : 'entries'})
          </span>
        )}
      </p>
      {(broken || state.kind === 'failed') && (
        <p role="alert" className="text-sm font-medium text-red-700">
          {state.kind === 'done' && !state.result.intact
            ? `Chain broken at entry #${state.result.brokenAt.seq}: ${state.result.brokenAt.reason}`
            : state.kind === 'failed'
              ? `Could not verify the chain: ${state.message}`
              : null}
        </p>
      )}
    </div>
  );
}
