'use client';

import { useState, type ReactNode } from 'react';
import { Button, type ButtonVariant } from './button';

/**
 * A destructive action that asks first: the first click opens an inline confirmation, the
 * second (on "Confirm") submits the surrounding form or runs `onConfirm`.
 */
export function ConfirmButton({
  children,
  question,
  confirmLabel = 'Confirm',
  variant = 'danger',
  onConfirm,
  pending,
}: {
  children: ReactNode;
  question: string;
  confirmLabel?: string;
  variant?: ButtonVariant;
  onConfirm?: () => void;
  pending?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        variant={variant === 'danger' ? 'secondary' : variant}
        size="sm"
        onClick={() => setAsking(true)}
        disabled={pending}
      >
        {children}
      </Button>
    );
  }
  return (
    <div
      role="group"
      aria-label="Confirm"
      className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-3 py-2 ring-1 ring-amber-200"
    >
      <span className="text-sm text-amber-900">{question}</span>
      <Button
        variant={variant}
        size="sm"
        type={onConfirm ? 'button' : 'submit'}
        onClick={(event) => {
          if (onConfirm) onConfirm();
          else {
            // Submit now, while this button is still in its form: closing the confirmation first
            // would unmount it, and a detached submit button submits nothing.
            event.preventDefault();
            event.currentTarget.form?.requestSubmit();
          }
          setAsking(false);
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </div>
  );
}
