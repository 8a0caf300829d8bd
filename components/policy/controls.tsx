'use client';

// Small form controls for the policy editor. List and number fields keep what the user typed
// (a half-written "main, rel") in their own state and report the parsed value up, so typing a
// comma is never undone by re-rendering from the parsed document.
import { useId, useState, type ReactNode } from 'react';

export const CONTROL =
  'block w-full rounded-md border-0 px-2.5 py-1.5 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-500 disabled:bg-slate-50';

export function FieldError({ id, error }: { id?: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="text-xs text-red-600">
      {error}
    </p>
  );
}

function Shell({
  id,
  label,
  hint,
  error,
  children,
  className = '',
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

/** What describes a control: its error when it has one, else its hint. */
export function describedBy(id: string, error?: string, hint?: ReactNode): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

type Common = { label: string; hint?: ReactNode; error?: string; className?: string; placeholder?: string };

export function TextField({
  value,
  onChange,
  mono,
  type,
  ...common
}: Common & { value: string; onChange: (value: string) => void; mono?: boolean; type?: 'text' | 'datetime-local' }) {
  const id = useId();
  return (
    <Shell id={id} {...common}>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={common.placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={common.error ? true : undefined}
        aria-describedby={describedBy(id, common.error, common.hint)}
        className={`${CONTROL} ${mono ? 'font-mono' : ''}`}
      />
    </Shell>
  );
}

export function TextAreaField({
  value,
  onChange,
  rows = 2,
  ...common
}: Common & { value: string; onChange: (value: string) => void; rows?: number }) {
  const id = useId();
  return (
    <Shell id={id} {...common}>
      <textarea
        id={id}
        value={value}
        rows={rows}
        placeholder={common.placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={common.error ? true : undefined}
        aria-describedby={describedBy(id, common.error, common.hint)}
        className={CONTROL}
      />
    </Shell>
  );
}

export function splitList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A comma-separated list; empty means "leave the condition out" (undefined). */
export function ListField({
  value,
  onChange,
  ...common
}: Common & { value: readonly string[] | undefined; onChange: (value: string[] | undefined) => void }) {
  const [text, setText] = useState(() => (value ?? []).join(', '));
  return (
    <TextField
      {...common}
      mono
      value={text}
      onChange={(next) => {
        setText(next);
        const items = splitList(next);
        onChange(items.length ? items : undefined);
      }}
    />
  );
}

/** A whole number; empty means undefined. What does not parse is passed on as NaN for the schema to name. */
export function NumberField({
  value,
  onChange,
  min,
  ...common
}: Common & { value: number | undefined; onChange: (value: number | undefined) => void; min?: number }) {
  const id = useId();
  const [text, setText] = useState(() => (value === undefined ? '' : String(value)));
  return (
    <Shell id={id} {...common}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        value={text}
        placeholder={common.placeholder}
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value.trim() === '' ? undefined : Number(e.target.value));
        }}
        aria-invalid={common.error ? true : undefined}
        aria-describedby={describedBy(id, common.error, common.hint)}
        className={CONTROL}
      />
    </Shell>
  );
}

export function SelectField<T extends string>({
  value,
  onChange,
  options,
  ...common
}: Common & { value: T; onChange: (value: T) => void; options: readonly { value: T; label: string }[] }) {
  const id = useId();
  return (
    <Shell id={id} {...common}>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as T)}
        aria-invalid={common.error ? true : undefined}
        aria-describedby={describedBy(id, common.error, common.hint)}
        className={CONTROL}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

/** A yes / no / either condition: undefined leaves it out of the match. */
export function TriStateField({
  value,
  onChange,
  yes,
  no,
  ...common
}: Common & { value: boolean | undefined; onChange: (value: boolean | undefined) => void; yes: string; no: string }) {
  return (
    <SelectField
      {...common}
      value={value === undefined ? 'any' : value ? 'yes' : 'no'}
      onChange={(v) => onChange(v === 'any' ? undefined : v === 'yes')}
      options={[
        { value: 'any', label: 'Any (not checked)' },
        { value: 'yes', label: yes },
        { value: 'no', label: no },
      ]}
    />
  );
}

/** Checkboxes for a list of choices; none ticked means undefined. */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  hint,
  className = '',
}: {
  legend: string;
  options: readonly { value: T; label: ReactNode }[];
  value: readonly T[] | undefined;
  onChange: (value: T[] | undefined) => void;
  error?: string;
  hint?: ReactNode;
  className?: string;
}) {
  const id = useId();
  const selected = new Set(value ?? []);
  return (
    <fieldset className={`space-y-1 ${className}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 block text-xs font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {options.map((o) => (
          <label key={o.value} className="inline-flex items-center gap-1.5 text-sm text-slate-700">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
              checked={selected.has(o.value)}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                const next = options
                  .map((x) => x.value)
                  .filter((v) => (v === o.value ? e.target.checked : selected.has(v)));
                onChange(next.length ? next : undefined);
              }}
            />
            {o.label}
          </label>
        ))}
      </div>
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      <FieldError id={`${id}-error`} error={error} />
    </fieldset>
  );
}
