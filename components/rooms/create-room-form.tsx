'use client';

// The new-room form. Errors come from the server's schema (lib/rooms) and show the one way every
// form shows them (components/ui/form-errors.tsx). The repository kind decides which fields exist:
// switching it drops the other kind's fields (they are unmounted, so never submitted) together with
// their values and errors from the last submit.
import { useActionState, useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input, Textarea } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { createRoomAction } from '@/app/(dashboard)/rooms/actions';

type Kind = 'git' | 'github';

/** Fields that belong to one repository kind; everything else is common to both. */
const KIND_FIELDS = [
  'location',
  'url',
  'username',
  'password',
  'githubApiUrl',
  'githubAuth',
  'appId',
  'installationId',
  'privateKey',
];

/** What a GitHub room's credential needs (lib/github/check-github-repository.ts checks it). */
const GITHUB_PERMISSIONS =
  'Needs Contents: read and write, Pull requests: read and write, Commit statuses: read, Checks: read and Metadata: read (Workflows: read and write too if agents may change .github/workflows). Stored encrypted; agents never see it.';

export function CreateRoomForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(createRoomAction, {});
  const submittedKind: Kind = state.values?.repositoryKind === 'github' ? 'github' : 'git';
  // The kind the user picked since the last submit's result arrived, if any.
  const [picked, setPicked] = useState<{ kind: Kind; after: FormState } | null>(null);
  const [githubAuth, setGithubAuth] = useState<'token' | 'app'>(state.values?.githubAuth === 'app' ? 'app' : 'token');
  const switched = picked?.after === state;
  const kind = switched ? picked.kind : submittedKind;
  const { v, e } = useMemo(() => {
    const keep = ([key]: [string, unknown]) => !switched || !KIND_FIELDS.includes(key);
    return {
      v: Object.fromEntries(Object.entries(state.values ?? {}).filter(keep)),
      e: Object.fromEntries(Object.entries(state.fieldErrors ?? {}).filter(keep)),
    };
  }, [state, switched]);
  // React resets the form after each action, which puts the radios back to the kind the page was
  // first rendered with, while the fields shown follow `kind`: put the radios back in step.
  const kinds = useRef<HTMLFieldSetElement>(null);
  useEffect(() => {
    for (const radio of kinds.current?.querySelectorAll<HTMLInputElement>('input[type="radio"]') ?? []) {
      radio.checked = radio.value === kind;
    }
  }, [state, kind]);
  return (
    <form action={action} className="max-w-2xl space-y-5" aria-label="Create room" noValidate>
      <FormErrors message={state.message} fieldErrors={e} focusOn={state} />
      <Input
        label="Room name"
        name="name"
        required
        defaultValue={v.name}
        error={e.name}
        placeholder="payments-service"
      />
      <fieldset ref={kinds} className="space-y-2">
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
                onChange={() => setPicked({ kind: value as Kind, after: state })}
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
        <div key="git" className="space-y-5">
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
            <Input
              label="Username (optional)"
              name="username"
              defaultValue={v.username}
              autoComplete="off"
              error={e.username}
            />
            <Input
              label="Password or token (optional)"
              name="password"
              type="password"
              autoComplete="new-password"
              error={e.password}
            />
          </div>
        </div>
      ) : (
        <div key="github" className="space-y-5">
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
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-700">Aegis acts on GitHub with</legend>
            <div className="flex flex-wrap gap-x-6 gap-y-2">
              {[
                ['token', 'A token (classic or fine-grained)'],
                ['app', 'A GitHub App installation'],
              ].map(([value, label]) => (
                <label key={value} className="flex cursor-pointer items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="githubAuth"
                    value={value}
                    checked={githubAuth === value}
                    onChange={() => setGithubAuth(value as 'token' | 'app')}
                  />
                  {label}
                </label>
              ))}
            </div>
          </fieldset>
          {githubAuth === 'token' ? (
            <Input
              label="GitHub token"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              error={e.password}
              hint={GITHUB_PERMISSIONS}
            />
          ) : (
            <div className="space-y-4">
              <div className="grid gap-4 sm:grid-cols-2">
                <Input label="App ID" name="appId" defaultValue={v.appId} error={e.appId} inputMode="numeric" />
                <Input
                  label="Installation ID"
                  name="installationId"
                  defaultValue={v.installationId}
                  error={e.installationId}
                  inputMode="numeric"
                />
              </div>
              <Textarea
                label="App private key (PEM)"
                name="privateKey"
                rows={4}
                error={e.privateKey}
                hint={`Aegis mints and refreshes the installation's tokens itself. The App ${GITHUB_PERMISSIONS.slice(0, 1).toLowerCase()}${GITHUB_PERMISSIONS.slice(1)}`}
              />
            </div>
          )}
        </div>
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
