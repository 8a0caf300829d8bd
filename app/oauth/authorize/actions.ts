'use server';

import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { formErrorState, type FormState } from '@/lib/form-errors';
import { approveConsent, denyConsent } from '@/lib/oauth/consent';

export async function decideConsentAction(_: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser();
  const consent = String(form.get('consent') ?? '');
  let target: string;
  try {
    target =
      form.get('decision') === 'approve'
        ? await approveConsent(user.id, { consent, role: String(form.get('role') ?? '') })
        : await denyConsent(user.id, { consent });
  } catch (error) {
    return formErrorState(error);
  }
  redirect(target);
}
