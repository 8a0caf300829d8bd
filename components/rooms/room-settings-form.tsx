'use client';

// The room's settings after creation: default and protected branches, the agent branch pattern and
// the repository credentials. Field errors come from the server's schema (lib/rooms/schemas.ts);
// the stored credentials are never shown, only kept, replaced or removed.
import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormSuccess, Input, Textarea } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { updateRoomSettingsAction } from '@/app/(dashboard)/rooms/[roomId]/settings/actions';

type CredentialsChoice = 'keep' | 'replace' | 'remove';

export function RoomSettingsForm({
  roomId,
  repositoryKind,
  current,
  hasCredentials,
}: {
  roomId: string;
  repositoryKind: 'git' | 'github';
  current: { defaultBranch: string; protectedBranches: string; branchPattern: string };
  hasCredentials: boolean;
}) {
  const [credentials, setCredentials] = useState<CredentialsChoice>('keep');
  const [state, action, pending] = useActionState<FormState, FormData>(async (previous: FormState, form: FormData) => {
    const next = await updateRoomSettingsAction(roomId, previous, form);
    if (next.ok) setCredentials('keep');
    return next;
  }, {});
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  const github = repositoryKind === 'github';
  const choices: [CredentialsChoice, string][] = [
    ['keep', hasCredentials ? 'Keep the stored credentials' : 'Keep using none'],
    ['replace', github ? 'Replace the GitHub token' : hasCredentials ? 'Replace them' : 'Add credentials'],
    ...(!github && hasCredentials
      ? [['remove', 'Remove them (the repository needs none)'] as [CredentialsChoice, string]]
      : []),
  ];

  return (
    <form action={action} className="max-w-2xl space-y-5" aria-label="Room settings" noValidate>
      {state.ok ? (
        <FormSuccess message={state.message} />
      ) : (
        <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      )}
      <Input
        label="Default branch"
        name="defaultBranch"
        required
        defaultValue={v.defaultBranch ?? current.defaultBranch}
        error={e.defaultBranch}
        hint={github ? undefined : 'It must exist in the repository. It is always protected.'}
      />
      <Textarea
        label="Protected branches"
        name="protectedBranches"
        rows={4}
        defaultValue={v.protectedBranches ?? current.protectedBranches}
        error={e.protectedBranches}
        hint={
          <>
            One pattern per line (a comma is not a separator, and not allowed in a pattern). Patterns work as in
            GitHub&apos;s branch protection: <code>*</code> stays within one segment, <code>**</code> crosses segments (
            <code>release/**</code>); no braces or negation.
          </>
        }
      />
      <Input
        label="Agent branch pattern"
        name="branchPattern"
        required
        defaultValue={v.branchPattern ?? current.branchPattern}
        error={e.branchPattern}
        hint="Branches agents create must match it (the “Branch naming” rule), e.g. aegis/**."
      />
      <fieldset
        className="space-y-3"
        data-invalid={e.credentials ? true : undefined}
        aria-describedby={e.credentials ? 'credentials-error credentials-status' : 'credentials-status'}
      >
        <legend className="text-sm font-medium text-slate-700">Repository credentials</legend>
        <p id="credentials-status" className="text-xs text-slate-500">
          {hasCredentials
            ? `Credentials are stored (encrypted) and never shown again.${github ? '' : ' Replacing or removing them checks that the repository is still reachable.'}`
            : 'No credentials are stored: Aegis reaches the repository without any.'}
        </p>
        <div className="flex flex-col gap-2 sm:flex-row sm:flex-wrap sm:gap-6">
          {choices.map(([value, label]) => (
            <label key={value} className="flex cursor-pointer items-center gap-2 text-sm">
              <input
                type="radio"
                name="credentials"
                value={value}
                // Uncontrolled: React resets a form after its action runs, and a controlled radio would
                // then show the initial choice beside the fields of another.
                defaultChecked={credentials === value}
                onChange={() => setCredentials(value)}
              />
              {label}
            </label>
          ))}
        </div>
        {e.credentials && (
          <p id="credentials-error" className="text-xs text-red-600">
            {e.credentials}
          </p>
        )}
        {credentials === 'replace' && (
          <div className="grid gap-4 sm:grid-cols-2">
            {!github && (
              <Input
                label="Username (optional)"
                name="username"
                autoComplete="off"
                defaultValue={v.username}
                error={e.username}
              />
            )}
            <Input
              label={github ? 'New GitHub token' : 'New password or token'}
              name="password"
              type="password"
              autoComplete="new-password"
              error={e.password}
            />
          </div>
        )}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? (github ? 'Saving…' : 'Checking repository…') : 'Save settings'}
      </Button>
    </form>
  );
}
