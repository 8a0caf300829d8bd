'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { revokeMyGrant } from '@/lib/oauth/grants';

export async function revokeGrantAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await revokeMyGrant(user.id, String(form.get('grantId') ?? ''));
    revalidatePath('/settings/profile');
    return { ok: true, message: 'Agent revoked: its sessions have ended.' };
  } catch (error) {
    return formErrorState(error);
  }
}
