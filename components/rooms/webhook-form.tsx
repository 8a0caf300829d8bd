'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormSuccess, Input } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { updateWebhookAction } from '@/app/(dashboard)/rooms/actions';

export function WebhookForm({ roomId, url, hasSecret }: { roomId: string; url: string | null; hasSecret: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateWebhookAction.bind(null, roomId), {});
  return (
    <form action={action} className="max-w-2xl space-y-4" aria-label="Approvals webhook" noValidate>
      {state.ok ? (
        <FormSuccess message={state.message} />
      ) : (
        <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      )}
      <Input
        label="Webhook URL"
        name="url"
        type="url"
        placeholder="https://chat.example.com/hooks/aegis"
        defaultValue={state.values?.url ?? url ?? ''}
        error={state.fieldErrors?.url}
        hint="Aegis POSTs JSON on every new approval and decision. Leave empty to remove."
      />
      <Input
        label="Signing secret"
        name="secret"
        type="password"
        autoComplete="new-password"
        error={state.fieldErrors?.secret}
        hint={
          hasSecret
            ? 'A secret is set; leave empty to keep it. Requests carry X-Aegis-Signature: sha256=HMAC of the body.'
            : 'At least 16 characters. Requests carry X-Aegis-Signature: sha256=HMAC of the body.'
        }
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Save webhook'}
      </Button>
    </form>
  );
}
