'use client';

// Merge and Close for an open change request, each asking first and showing progress. The Merge
// form carries the head commit the page showed (a hidden field): the server merges exactly that
// commit or refuses if the branch moved, and then the page shows the branch as it is now. A merge
// that goes to a reviewer links to its approval.
import Link from 'next/link';
import { useActionState, useRef, useState, useTransition } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError, FormSuccess } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import { closeChangeRequestAction, mergeChangeRequestAction, type MergeState } from '../actions';

export function ChangeRequestActions({
  roomId,
  number,
  head,
  base,
  headSha,
  canClose,
}: {
  roomId: string;
  number: number;
  head: string;
  base: string;
  /** The head commit whose diff the page shows: what a click on Merge merges. */
  headSha: string;
  canClose: boolean;
}) {
  const [mergeState, merge, merging] = useActionState<MergeState, FormData>(
    mergeChangeRequestAction.bind(null, roomId, number),
    {},
  );
  // Submitted from the confirmation (which unmounts its own button as it is clicked).
  const mergeForm = useRef<HTMLFormElement>(null);
  const [closeState, setCloseState] = useState<FormState>({});
  const [closing, startClosing] = useTransition();
  const close = () =>
    startClosing(async () => {
      setCloseState({});
      setCloseState(await closeChangeRequestAction(roomId, number));
    });
  const pending = merging || closing;

  return (
    <div className="space-y-3">
      <FormError message={mergeState.ok === false ? mergeState.message : undefined} />
      {mergeState.ok && mergeState.approvalId ? (
        <div
          role="status"
          className="space-y-1 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
        >
          <p>{mergeState.message}</p>
          <Link href={`/approvals/${mergeState.approvalId}`} className="font-medium text-indigo-600 hover:underline">
            Open the approval
          </Link>
        </div>
      ) : (
        <FormSuccess message={mergeState.ok ? mergeState.message : undefined} />
      )}
      <FormError message={closeState.ok === false ? closeState.message : undefined} />
      <FormSuccess message={closeState.ok ? closeState.message : undefined} />
      <div className="flex flex-wrap items-center gap-3">
        <form ref={mergeForm} action={merge} aria-label="Merge pull request">
          <input type="hidden" name="headSha" value={headSha} />
          <ConfirmButton
            variant="primary"
            question={`Merge ${head} at ${headSha.slice(0, 7)} into ${base}?`}
            confirmLabel="Merge"
            pending={pending}
            onConfirm={() => mergeForm.current?.requestSubmit()}
          >
            {merging ? 'Merging…' : 'Merge'}
          </ConfirmButton>
        </form>
        {canClose && (
          <ConfirmButton
            question="Close this pull request without merging it?"
            confirmLabel="Close pull request"
            pending={pending}
            onConfirm={close}
          >
            {closing ? 'Closing…' : 'Close'}
          </ConfirmButton>
        )}
      </div>
    </div>
  );
}
