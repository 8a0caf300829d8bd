'use client';

import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { FormError, Input, Textarea } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import { createRoomAction } from '@/app/(dashboard)/rooms/actions';

export function CreateRoomForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createRoomAction, {});
  const [kind, setKind] = useState(state.values?.repositoryKind === 'github' ? 'github' : 'git');
  const v = state.values ?? {};
  const e = state.fieldErrors ?? {};
  return (
    <form action={action} className="max-w-2xl space-y-5" aria-label="Create room" noValidate>
      <FormError message={state.message} />
      <Input
        label="Room name"
        name="name"
        required
        defaultValue={v.name}
        error={e.name}
        placeholder="payments-service"
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Repository kind</legend>
        <div className="flex flex-wrap gap-x-6 gap-y-3">
          {[
            ['git', 'Git repository', 'A local path, bare repository or remote URL'],
            ['github', 'GitHub', 'github.com or GitHub Enterprise'],
          ].map(([value, label, hint]) => (
            <label key={value} className="flex cursor-pointer items-start gap-2 text-sm">
              <input
                type="radio"
                name="repositoryKind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-xs text-slate-500">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'git' ? (
        <>
          <Input
            label="Repository path or URL"
            name="location"
            required
            defaultValue={v.location}
            error={e.location ?? e.url}
            placeholder="/srv/git/payments.git or https://git.example.com/team/payments.git"
            hint="A local path under the folders this server allows (AEGIS_REPOSITORY_ROOTS; with npm start, ./repositories), or a remote URL."
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Input label="Username (optional)" name="username" defaultValue={v.username} autoComplete="off" />
            <Input
              label="Password or token (optional)"
              name="password"
              type="password"
              autoComplete="new-password"
              error={e.password}
            />
          </div>
        </>
      ) : (
        <>
          <Input
            label="Repository (owner/name)"
            name="location"
            required
            defaultValue={v.location}
            error={e.location}
            placeholder="acme/payments"
          />
          <Input
            label="API base URL"
            name="githubApiUrl"
            defaultValue={v.githubApiUrl || 'https://api.github.com'}
            error={e.githubApiUrl}
            hint="For GitHub Enterprise: https://github.example.com/api/v3"
          />
          <Input
            label="GitHub token"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            error={e.password}
            hint="Stored encrypted; agents never see it."
          />
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Default branch"
          name="defaultBranch"
          defaultValue={v.defaultBranch || 'main'}
          error={e.defaultBranch}
        />
        <Textarea
          label="Protected branches"
          name="protectedBranches"
          rows={2}
          defaultValue={v.protectedBranches ?? 'release/**'}
          error={e.protectedBranches}
          hint="Patterns, one per line (the default branch is always protected)."
        />
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Checking repository…' : 'Create room'}
      </Button>
    </form>
  );
}
