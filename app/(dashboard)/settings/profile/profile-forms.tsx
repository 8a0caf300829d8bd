'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormSuccess, Input } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { changePasswordAction, updateProfileAction } from './actions';

export function NameForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(updateProfileAction, {});
  return (
    <form action={action} className="max-w-md space-y-4" aria-label="Profile" noValidate>
      {state.ok ? (
        <FormSuccess message={state.message} />
      ) : (
        <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      )}
      <Input
        label="Name"
        name="name"
        defaultValue={state.values?.name ?? name}
        required
        error={state.fieldErrors?.name}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save name'}
      </Button>
    </form>
  );
}

export function PasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(changePasswordAction, {});
  return (
    <form
      action={action}
      className="max-w-md space-y-4"
      aria-label="Change password"
      key={state.ok ? 'done' : 'editing'}
      noValidate
    >
      {state.ok ? (
        <FormSuccess message={state.message} />
      ) : (
        <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      )}
      <Input
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={state.fieldErrors?.currentPassword}
      />
      <Input
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        error={state.fieldErrors?.newPassword}
        hint="At least 10 characters."
      />
      <Input
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        error={state.fieldErrors?.confirmPassword}
      />
      <Button type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password'}
      </Button>
    </form>
  );
}
