'use client';

import { useActionState, useRef } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import { revokeGrantAction } from './agent-actions';

/** One grant's Revoke button, which asks first. */
export function RevokeGrantButton({ grantId, label }: { grantId: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(revokeGrantAction, {});
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={action} aria-label={`Revoke ${label}`}>
      <input type="hidden" name="grantId" value={grantId} />
      <ConfirmButton
        question={`Revoke ${label}? Its sessions end now.`}
        confirmLabel="Revoke"
        pending={pending}
        onConfirm={() => form.current?.requestSubmit()}
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </ConfirmButton>
      <FormError message={state.ok === false ? state.message : undefined} />
    </form>
  );
}
