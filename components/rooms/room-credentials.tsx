'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { CopyButton } from '@/components/ui/copy-button';
import { FormError } from '@/components/ui/field';
import { revealTokenAction, rotateTokenAction, type TokenState } from '@/app/(dashboard)/rooms/actions';

const MASKED_TOKEN = `aegis_${'•'.repeat(24)}`;

type Props = {
  roomId: string;
  initialToken?: string;
  canReveal: boolean;
  canRotate: boolean;
};

export function RoomCredentials({ roomId, initialToken, canReveal, canRotate }: Props) {
  const [token, setToken] = useState<string | undefined>(initialToken);
  const [notice, setNotice] = useState<string | undefined>(
    initialToken ? 'Room created. Copy the access token now, or reveal it later from this page.' : undefined,
  );
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  function run(action: (roomId: string) => Promise<TokenState>, successNotice?: string) {
    startTransition(async () => {
      const result = await action(roomId);
      setError(result.error);
      if (result.token) {
        setToken(result.token);
        setNotice(successNotice);
      }
    });
  }

  return (
    <dl className="space-y-4">
      <div>
        <dt className="text-sm font-medium text-slate-700">Room ID</dt>
        <dd className="mt-1 flex items-center gap-3">
          <code data-testid="room-id" className="rounded bg-slate-100 px-2 py-1 font-mono text-sm">
            {roomId}
          </code>
          <CopyButton value={roomId} label="Copy room ID" />
        </dd>
      </div>
      <div>
        <dt className="text-sm font-medium text-slate-700">Access token</dt>
        <dd className="mt-1 space-y-2">
          {notice && (
            <p role="status" className="text-sm text-emerald-700">
              {notice}
            </p>
          )}
          <FormError message={error} />
          <div className="flex flex-wrap items-center gap-3">
            <code data-testid="access-token" className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm">
              {token ?? MASKED_TOKEN}
            </code>
            {token && <CopyButton value={token} label="Copy access token" />}
            {!token && canReveal && (
              <Button variant="secondary" size="sm" onClick={() => run(revealTokenAction)} disabled={pending}>
                Reveal
              </Button>
            )}
            {canRotate && (
              <ConfirmButton
                question="Rotate the token? The old one stops working at once and its agents are disconnected."
                confirmLabel="Rotate token"
                onConfirm={() =>
                  run(rotateTokenAction, 'Token rotated. Agents must be reconfigured with the new token.')
                }
                pending={pending}
              >
                Rotate token
              </ConfirmButton>
            )}
          </div>
          {!canReveal && (
            <p className="text-xs text-slate-500">
              Only ADMINs and OWNERs can reveal the token. Your agent configuration on the Integrations page includes
              it.
            </p>
          )}
        </dd>
      </div>
    </dl>
  );
}
