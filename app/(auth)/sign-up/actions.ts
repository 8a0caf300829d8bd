'use server';

import { createUser } from '@/lib/users/create-user';
import { formErrorState, type FormState } from '@/lib/form-errors';

export async function signUpAction(_: FormState, form: FormData): Promise<FormState> {
  try {
    await createUser({
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    return { ok: true };
  } catch (error) {
    return {
      ...formErrorState(error),
      values: { name: String(form.get('name') ?? ''), email: String(form.get('email') ?? '') },
    };
  }
}
