'use client';

// Merge and Close for an open change request, each asking first and showing progress; a refused
// merge (a conflict, say) shows the reason the server gave.
import { useState, useTransition } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError, FormSuccess } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import { closeChangeRequestAction, mergeChangeRequestAction } from '../actions';

export function ChangeRequestActions({
  roomId,
  number,
  head,
  base,
}: {
  roomId: string;
  number: number;
  head: string;
  base: string;
}) {
  const [state, setState] = useState<FormState>({});
  const [running, setRunning] = useState<'merge' | 'close'>();
  const [pending, startTransition] = useTransition();

  const run = (which: 'merge' | 'close') =>
    startTransition(async () => {
      setRunning(which);
      setState({});
      const action = which === 'merge' ? mergeChangeRequestAction : closeChangeRequestAction;
      setState(await action(roomId, number));
      setRunning(undefined);
    });

  return (
    <div className="space-y-3">
      <FormError message={state.ok === false ? state.message : undefined} />
      <FormSuccess message={state.ok ? state.message : undefined} />
      <div className="flex flex-wrap items-center gap-3">
        <ConfirmButton
          variant="primary"
          question={`Merge ${head} into ${base}?`}
          confirmLabel="Merge"
          pending={pending}
          onConfirm={() => run('merge')}
        >
          {pending && running === 'merge' ? 'Merging…' : 'Merge'}
        </ConfirmButton>
        <ConfirmButton
          question="Close this pull request without merging it?"
          confirmLabel="Close pull request"
          pending={pending}
          onConfirm={() => run('close')}
        >
          {pending && running === 'close' ? 'Closing…' : 'Close'}
        </ConfirmButton>
      </div>
    </div>
  );
}
