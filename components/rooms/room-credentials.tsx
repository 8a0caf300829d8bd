'use client';

import { useActionState, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { CopyButton } from '@/components/ui/copy-button';
import { FormError, FormSuccess } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import {
  revealTokenAction,
  rotateAllTokensAction,
  rotateTokenAction,
  type TokenState,
} from '@/app/(dashboard)/rooms/actions';

const MASKED_TOKEN = `aegis_${'•'.repeat(24)}`;

type Props = {
  roomId: string;
  initialToken?: string;
  /** OWNERs can replace every member's token at once. */
  canRotateAll: boolean;
};

/** The room ID and the signed-in member's own access token: revealed on demand, rotated in one click. */
export function RoomCredentials({ roomId, initialToken, canRotateAll }: Props) {
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
        <dt className="text-sm font-medium text-slate-700">Your access token</dt>
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
            {!token && (
              <Button variant="secondary" size="sm" onClick={() => run(revealTokenAction)} disabled={pending}>
                Reveal
              </Button>
            )}
            <ConfirmButton
              question="Rotate your token? The old one stops working at once and your agents are disconnected."
              confirmLabel="Rotate token"
              onConfirm={() => run(rotateTokenAction, 'Token rotated. Reconfigure your agents with the new token.')}
              pending={pending}
            >
              Rotate token
            </ConfirmButton>
          </div>
          <p className="text-xs text-slate-500">
            Yours alone: agents that connect with it act as you, with a role up to yours. Every member has their own;
            the Integrations page puts yours into ready-to-paste configurations.
          </p>
        </dd>
      </div>
      {canRotateAll && <RotateAllTokens roomId={roomId} />}
    </dl>
  );
}

function RotateAllTokens({ roomId }: { roomId: string }) {
  const [state, rotateAll, rotating] = useActionState<FormState>(rotateAllTokensAction.bind(null, roomId), {});
  return (
    <div>
      <dt className="text-sm font-medium text-slate-700">Every member&apos;s token</dt>
      <dd className="mt-1 space-y-2">
        {state.ok ? <FormSuccess message={state.message} /> : <FormError message={state.message} />}
        <form action={rotateAll}>
          <ConfirmButton
            question="Rotate every member's token? All agents in this room are disconnected; each member gets a new token."
            confirmLabel="Rotate all tokens"
            pending={rotating}
          >
            Rotate all tokens
          </ConfirmButton>
        </form>
      </dd>
    </div>
  );
}
