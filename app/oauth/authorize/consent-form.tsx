'use client';

import { useActionState, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import type { Role } from '@/lib/generated/prisma/enums';
import { decideConsentAction } from './actions';

export function ConsentForm({
  consent,
  roles,
  summaries,
}: {
  consent: string;
  roles: Role[];
  summaries: Record<Role, string[]>;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(decideConsentAction, {});
  const [role, setRole] = useState<Role>('DEVELOPER');
  return (
    <form action={action} className="space-y-4">
      <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      <input type="hidden" name="consent" value={consent} />
      <Select
        label="Role the agent acts with"
        name="role"
        value={role}
        onChange={(event) => setRole(event.target.value as Role)}
        error={state.fieldErrors?.role}
        hint="At most your own role in this room. You can revoke the agent in Settings at any time."
      >
        {roles.map((r) => (
          <option key={r}>{r}</option>
        ))}
      </Select>
      <div aria-live="polite" aria-label={`What a ${role} agent may do`} className="rounded-md bg-slate-50 p-3">
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">A {role} agent may</p>
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {summaries[role].map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="decision" value="approve" disabled={pending}>
          {pending ? 'Connecting…' : 'Approve'}
        </Button>
        <Button type="submit" name="decision" value="deny" variant="secondary" disabled={pending}>
          Deny
        </Button>
      </div>
    </form>
  );
}
