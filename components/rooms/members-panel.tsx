'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormSuccess, Input, Select } from '@/components/ui/field';
import { Badge } from '@/components/ui/card';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import {
  addMemberAction,
  changeRoleAction,
  removeMemberAction,
  revokeMemberTokenAction,
} from '@/app/(dashboard)/rooms/actions';

type Member = { id: string; name: string; email: string; role: string };
const ROLES = ['DEVELOPER', 'ADMIN', 'OWNER'];

export function MembersPanel({
  roomId,
  members,
  canManage,
  myId,
}: {
  roomId: string;
  members: Member[];
  canManage: boolean;
  myId: string;
}) {
  return (
    <div className="space-y-5">
      <ul className="divide-y divide-slate-100" aria-label="Members">
        {members.map((m) => (
          <li key={m.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div>
              <p className="text-sm font-medium">
                {m.name} {m.id === myId && <span className="text-xs text-slate-500">(you)</span>}
              </p>
              <p className="text-xs text-slate-500">{m.email}</p>
            </div>
            {canManage ? <MemberControls roomId={roomId} member={m} isMe={m.id === myId} /> : <Badge>{m.role}</Badge>}
          </li>
        ))}
      </ul>
      {canManage && <AddMemberForm roomId={roomId} />}
    </div>
  );
}

function MemberControls({ roomId, member, isMe }: { roomId: string; member: Member; isMe: boolean }) {
  const [roleState, changeRole, changing] = useActionState<FormState, FormData>(
    changeRoleAction.bind(null, roomId, member.id),
    {},
  );
  const [removeState, remove, removing] = useActionState<FormState>(
    removeMemberAction.bind(null, roomId, member.id),
    {},
  );
  const [revokeState, revoke, revoking] = useActionState<FormState>(
    revokeMemberTokenAction.bind(null, roomId, member.id),
    {},
  );
  const error = [roleState, removeState, revokeState].find((state) => state.ok === false)?.message;
  return (
    <div className="flex max-w-full flex-col items-start gap-1 sm:items-end">
      <div className="flex flex-wrap items-center gap-2 sm:justify-end">
        <form action={changeRole} className="flex items-center gap-2" aria-label={`Role of ${member.email}`}>
          <select
            name="role"
            defaultValue={member.role}
            key={member.role}
            aria-label={`Role for ${member.email}`}
            className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
          >
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
          <Button type="submit" variant="secondary" size="sm" disabled={changing}>
            Save role
          </Button>
        </form>
        {!isMe && (
          <form action={revoke} aria-label={`Token of ${member.email}`}>
            <ConfirmButton
              question={`Revoke the access token of ${member.email}? Their agents are disconnected at once; they get a new token from the room page.`}
              confirmLabel="Revoke token"
              pending={revoking}
            >
              Revoke token
            </ConfirmButton>
          </form>
        )}
        <form action={remove}>
          <ConfirmButton question={`Remove ${member.email}?`} confirmLabel="Remove" pending={removing}>
            Remove
          </ConfirmButton>
        </form>
      </div>
      {revokeState.ok && (
        <p role="status" className="text-xs text-emerald-700">
          {revokeState.message}
        </p>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

function AddMemberForm({ roomId }: { roomId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(addMemberAction.bind(null, roomId), {});
  return (
    <form
      action={action}
      className="space-y-3 border-t border-slate-200 pt-4"
      aria-label="Add member"
      key={state.ok ? 'added' : 'editing'}
      noValidate
    >
      <h3 className="text-sm font-semibold">Add a member</h3>
      {state.ok ? (
        <FormSuccess message={state.message} />
      ) : (
        <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      )}
      {/* Top-aligned, so a message under the email does not push Role and the button out of line. */}
      <div className="grid items-start gap-3 sm:grid-cols-[1fr_auto_auto]">
        <Input
          label="Email"
          name="email"
          type="email"
          defaultValue={state.values?.email}
          error={state.fieldErrors?.email}
        />
        <Select label="Role" name="role" defaultValue={state.values?.role ?? 'DEVELOPER'}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
        <Button type="submit" disabled={pending} className="sm:mt-6">
          Add member
        </Button>
      </div>
    </form>
  );
}
