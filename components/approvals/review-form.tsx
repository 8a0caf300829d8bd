'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormError, FormSuccess } from '@/components/ui/field';
import type { FormState } from '@/lib/form-errors';
import { reviewApprovalAction } from '@/app/(dashboard)/approvals/actions';

export function ReviewForm({ approvalId }: { approvalId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(reviewApprovalAction.bind(null, approvalId), {});
  if (state.ok) return <FormSuccess message={state.message} />;
  return (
    <form action={action} className="space-y-3" aria-label="Review">
      <FormError message={state.message} />
      <label htmlFor="comment" className="block text-sm font-medium text-slate-700">
        Comment (the agent sees it)
      </label>
      <textarea
        id="comment"
        name="comment"
        rows={2}
        className="block w-full rounded-md border-0 px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
      />
      <div className="flex gap-3">
        <Button type="submit" name="decision" value="approve" disabled={pending}>
          {pending ? 'Working…' : 'Approve'}
        </Button>
        <Button type="submit" name="decision" value="deny" variant="danger" disabled={pending}>
          Deny
        </Button>
      </div>
    </form>
  );
}
