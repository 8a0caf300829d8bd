'use client';

// The one way a form shows that something is wrong. Each invalid field is highlighted
// (aria-invalid, a red ring) with its message under it (aria-describedby): the field primitives in
// ./field.tsx and components/policy/controls.tsx do that. Above the form, this banner says
// FIELD_ERRORS_BANNER whenever any field has an error (even one), followed by any message about the
// form as a whole; and when a new set of errors arrives, focus moves to the first invalid field so a
// keyboard or screen-reader user lands where the fixing starts. Forms set `noValidate`: the server's
// schema decides what is wrong, never a browser tooltip.
import { useEffect, useRef } from 'react';
import { FIELD_ERRORS_BANNER, hasFieldErrors } from '@/lib/form-errors';

export function FormErrors({
  message,
  fieldErrors,
  focusOn = fieldErrors,
}: {
  /** A message about the whole form, e.g. "The repository could not be reached". */
  message?: string;
  /** Errors by field; a new object (a new submit's result) moves focus to the first invalid field. */
  fieldErrors?: Record<string, string | undefined>;
  /** What marks a new submit's result, when not the fieldErrors object itself (a form that filters them). */
  focusOn?: unknown;
}) {
  const banner = useRef<HTMLDivElement>(null);
  const fields = hasFieldErrors(fieldErrors);

  useEffect(() => {
    if (!fields) return;
    const scope = banner.current?.closest('form, [data-form-errors-scope]');
    // A group of radios is marked on its fieldset (radios do not take aria-invalid).
    const first = scope?.querySelector<HTMLElement>('[aria-invalid="true"], fieldset[data-invalid] input');
    // Focus shows the field; scrolling it to the middle keeps its label and message in view too.
    first?.focus({ preventScroll: true });
    first?.scrollIntoView({ block: 'center' });
    // Only a new result moves focus; `fields` is read, not a trigger.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusOn]);

  const extra = message && message !== FIELD_ERRORS_BANNER ? message : undefined;
  if (!fields && !extra) return null;
  return (
    <div
      ref={banner}
      role="alert"
      className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset"
    >
      {fields && <p className="font-medium">{FIELD_ERRORS_BANNER}</p>}
      {extra && <p>{extra}</p>}
    </div>
  );
}
