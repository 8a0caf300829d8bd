// Turns a thrown zod or AppError into the field errors and message a form shows.
import { ZodError } from 'zod';
import { isAppError } from './errors';

export type FormState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string | undefined>;
  /** What the user typed (never passwords), to refill the form React resets after an action. */
  values?: Record<string, string>;
};

export function formErrorState(error: unknown): FormState {
  if (error instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of error.issues) {
      const field = String(issue.path[0] ?? 'form');
      fieldErrors[field] ??= issue.message;
    }
    return { ok: false, message: 'Please correct the highlighted fields.', fieldErrors };
  }
  if (isAppError(error)) {
    const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
    return field ? { ok: false, fieldErrors: { [field]: error.message } } : { ok: false, message: error.message };
  }
  console.error('[aegis] unexpected error in a form action', error);
  return { ok: false, message: 'Something went wrong. Please try again.' };
}
