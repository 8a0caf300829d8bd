// Turns a thrown zod or AppError into the field errors and message a form shows. Every form shows
// them the same way (components/ui/form-errors.tsx): each invalid field highlighted with its message
// under it, and one banner at the top, worded FIELD_ERRORS_BANNER, whenever any field has an error.
import { ZodError } from 'zod';
import { isAppError } from './errors';

/** The banner above a form with at least one invalid field: the same words on every form. */
export const FIELD_ERRORS_BANNER = 'Correct the highlighted fields.';

export type FormState = {
  ok?: boolean;
  /** A message about the whole form (not about one field): shown in the banner. */
  message?: string;
  fieldErrors?: Record<string, string | undefined>;
  /** What the user typed (never passwords), to refill the form React resets after an action. */
  values?: Record<string, string>;
};

/** The first message per field of a zod error, keyed by the top-level field name. */
export function zodFieldErrors(error: ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

/** Whether a form state carries at least one field error. */
export function hasFieldErrors(fieldErrors: FormState['fieldErrors']): boolean {
  return Object.values(fieldErrors ?? {}).some(Boolean);
}

export function formErrorState(error: unknown): FormState {
  if (error instanceof ZodError) return { ok: false, fieldErrors: zodFieldErrors(error) };
  if (isAppError(error)) {
    const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
    return field ? { ok: false, fieldErrors: { [field]: error.message } } : { ok: false, message: error.message };
  }
  console.error('[aegis] unexpected error in a form action', error);
  return { ok: false, message: 'Something went wrong. Please try again.' };
}
