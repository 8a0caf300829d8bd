'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { closeChangeRequest } from '@/lib/change-requests/close-change-request';
import { mergeChangeRequestAsReviewer } from '@/lib/change-requests/merge-change-request-as-reviewer';

function revalidateChangeRequest(roomId: string, number: number) {
  revalidatePath(`/rooms/${roomId}/pulls`);
  revalidatePath(`/rooms/${roomId}/pulls/${number}`);
}

export async function mergeChangeRequestAction(roomId: string, number: number): Promise<FormState> {
  const user = await requireUser();
  try {
    const merged = await mergeChangeRequestAsReviewer({ actorId: user.id, roomId, number });
    revalidateChangeRequest(roomId, number);
    return { ok: true, message: `Merged as ${merged.sha.slice(0, 12)}.` };
  } catch (error) {
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
