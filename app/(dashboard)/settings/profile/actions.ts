'use server';

import { revalidatePath } from 'next/cache';
import { keepThisSession, requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { changePassword, updateProfile } from '@/lib/users/update-profile';

export async function updateProfileAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await updateProfile(user.id, { name: String(form.get('name') ?? '') });
    revalidatePath('/', 'layout');
    return { ok: true, message: 'Profile saved.' };
  } catch (error) {
    return { ...formErrorState(error), values: { name: String(form.get('name') ?? '') } };
  }
}

export async function changePasswordAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    const { sessionVersion } = await changePassword(user.id, {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
      confirmPassword: String(form.get('confirmPassword') ?? ''),
    });
    await keepThisSession(sessionVersion);
    return { ok: true, message: 'Password changed. Your other sessions were signed out.' };
  } catch (error) {
    return formErrorState(error);
  }
}
