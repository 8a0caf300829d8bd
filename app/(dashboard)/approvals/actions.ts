'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { reviewApproval } from '@/lib/approvals/review-approval';

export async function reviewApprovalAction(approvalId: string, _: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const decision = form.get('decision') === 'deny' ? 'deny' : 'approve';
  try {
    const approval = await reviewApproval(user.id, approvalId, {
      decision,
      comment: String(form.get('comment') ?? ''),
    });
    revalidatePath('/approvals');
    const outcome: Record<string, string> = {
      executed: 'Approved: the action was executed.',
      failed: `Approved, but the action failed: ${approval.error ?? 'unknown error'}`,
      denied: 'Denied. The agent is told, with your comment.',
      pending: 'Approval recorded; more reviewers are needed.',
      executing: 'Approved: the action is being executed.',
      cancelled: `Cancelled, nothing was executed: ${approval.error ?? ''}`,
    };
    return { ok: true, message: outcome[approval.status] ?? `The approval is now ${approval.status}.` };
  } catch (error) {
    return formErrorState(error);
  }
}
