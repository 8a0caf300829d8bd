'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { FormSuccess, Textarea } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import type { FormState } from '@/lib/form-errors';
import { reviewApprovalAction } from '@/app/(dashboard)/approvals/actions';

export function ReviewForm({ approvalId }: { approvalId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(reviewApprovalAction.bind(null, approvalId), {});
  if (state.ok) return <FormSuccess message={state.message} />;
  return (
    <form action={action} className="space-y-3" aria-label="Review" noValidate>
      <FormErrors message={state.message} fieldErrors={state.fieldErrors} />
      <Textarea
        label="Comment (the agent sees it)"
        name="comment"
        rows={2}
        mono={false}
        error={state.fieldErrors?.comment}
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
