'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { closeChangeRequest } from '@/lib/change-requests/close-change-request';
import { mergeChangeRequestFromDashboard } from '@/lib/change-requests/merge-change-request-from-dashboard';

export type MergeState = FormState & { approvalId?: string };

function revalidateChangeRequest(roomId: string, number: number) {
  revalidatePath(`/rooms/${roomId}/pulls`);
  revalidatePath(`/rooms/${roomId}/pulls/${number}`);
}

// The Merge form: `headSha` is the head commit the page showed, rendered into it as a hidden field.
export async function mergeChangeRequestAction(
  roomId: string,
  number: number,
  _previous: MergeState,
  formData: FormData,
): Promise<MergeState> {
  const user = await requireUser();
  try {
    const headSha = formData.get('headSha');
    const result = await mergeChangeRequestFromDashboard({
      actorId: user.id,
      roomId,
      number,
      headSha: typeof headSha === 'string' ? headSha : '',
    });
    revalidateChangeRequest(roomId, number);
    switch (result.status) {
      case 'merged':
        return { ok: true, message: `Merged as ${result.sha.slice(0, 12)}.` };
      case 'blocked':
        return { ok: false, message: result.message };
      case 'pending_approval':
        return {
          ok: true,
          approvalId: result.approvalId,
          message: result.ownChangeRequest
            ? 'Not merged yet: you opened this pull request, so another reviewer (an ADMIN or OWNER) must approve its merge. It now waits in the approvals inbox.'
            : `Not merged yet: the room's policy asks for a reviewer's approval (${result.reason}). It now waits in the approvals inbox.`,
        };
    }
  } catch (error) {
    // Whatever was refused, the page shows the pull request as it is now (a moved branch: its new diff).
    revalidateChangeRequest(roomId, number);
    return formErrorState(error);
  }
}

export async function closeChangeRequestAction(roomId: string, number: number): Promise<FormState> {
  const user = await requireUser();
  try {
    await closeChangeRequest({ actorId: user.id, roomId, number });
    revalidateChangeRequest(roomId, number);
    return { ok: true, message: 'Pull request closed.' };
  } catch (error) {
    return formErrorState(error);
  }
}
