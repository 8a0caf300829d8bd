'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { changePassword, updateProfile } from '@/lib/users/update-profile';

export async function updateProfileAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await updateProfile(user.id, { name: String(form.get('name') ?? '') });
    revalidatePath('/', 'layout');
    return { ok: true, message: 'Profile saved.' };
  } catch (error) {
    return formErrorState(error);
  }
}

export async function changePasswordAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await changePassword(user.id, {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
      confirmPassword: String(form.get('confirmPassword') ?? ''),
    });
    return { ok: true, message: 'Password changed.' };
  } catch (error) {
    return formErrorState(error);
  }
}
