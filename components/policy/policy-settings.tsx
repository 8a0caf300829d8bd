'use client';

// The policy's settings beside its rules: what happens when no rule matches, the freeze windows
// and the blast-radius thresholds. Read-only for members who cannot edit the policy.
import { useId, useState } from 'react';
import {
  DEFAULT_EFFECTS,
  WEEKDAYS,
  isDailyFreezeWindow,
  isOneOffFreezeWindow,
  type BlastRadiusThresholds,
  type DefaultEffect,
  type FreezeWindow,
  type Weekday,
} from '@/lib/policy/policy-schema';
import { Button } from '@/components/ui/button';
import { Badge, EmptyState } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { CONTROL, CheckboxGroup, FieldError, NumberField, SelectField, TextField } from './controls';
import { WEEKDAY_LABELS, describeFreezeWindow, freezeWindowKind } from './describe';
import { EffectBadge } from './effect-badge';

export type Keyed<T> = { key: string; value: T };
type Errors = (prefix: string) => Record<string, string>;

const DEFAULT_EFFECT_OPTIONS: { value: DefaultEffect; label: string }[] = [
  { value: 'require_approval', label: 'Route it for approval (recommended)' },
  { value: 'block', label: 'Block it' },
  { value: 'allow', label: 'Allow it (still audited)' },
];

export function DefaultEffectSetting({
  value,
  onChange,
  canEdit,
  error,
}: {
  value: DefaultEffect;
  onChange: (value: DefaultEffect) => void;
  canEdit: boolean;
  error?: string;
}) {
  if (!canEdit) {
    return (
      <p className="flex items-center gap-2 text-sm text-slate-700">
        A call no enabled rule matches: <EffectBadge effect={value} approvals={1} />
      </p>
    );
  }
  return (
    <div className="flex flex-wrap items-end gap-3">
      <SelectField
        className="min-w-64"
        label="Default effect"
        value={value}
        onChange={onChange}
        options={DEFAULT_EFFECT_OPTIONS.filter((o) => (DEFAULT_EFFECTS as readonly string[]).includes(o.value))}
        error={error}
      />
      <div className="pb-1.5">
        <EffectBadge effect={value} approvals={1} />
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Freeze windows

type Kind = 'one-off' | 'daily' | 'weekly';

function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

function windowOfKind(kind: Kind, base: { name: string; timeZone: string }): FreezeWindow {
  if (kind === 'one-off') {
    const start = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const end = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
    return { ...base, start: `${start}T18:00`, end: `${end}T08:00` };
  }
  if (kind === 'daily')
    return { ...base, days: ['mon', 'tue', 'wed', 'thu', 'fri'], startTime: '22:00', endTime: '06:00' };
  return { ...base, startDay: 'fri', startTime: '18:00', endDay: 'mon', endTime: '08:00' };
}

export function newFreezeWindow(): FreezeWindow {
  return windowOfKind('weekly', { name: 'Weekend', timeZone: localTimeZone() });
}

const DAY_OPTIONS = WEEKDAYS.map((d) => ({ value: d, label: WEEKDAY_LABELS[d] }));

/** A time-zone field with the runtime's zone names as suggestions (loaded on first focus). */
function TimeZoneField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  const [zones, setZones] = useState<string[]>([]);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-slate-700">
        Time zone
      </label>
      <input
        id={id}
        value={value}
        list={`${id}-zones`}
        onFocus={() => {
          if (zones.length === 0 && typeof Intl.supportedValuesOf === 'function') {
            setZones(Intl.supportedValuesOf('timeZone'));
          }
        }}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className={`${CONTROL} font-mono`}
      />
      <datalist id={`${id}-zones`}>
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}

function FreezeWindowForm({
  window,
  onChange,
  errors,
}: {
  window: FreezeWindow;
  onChange: (w: FreezeWindow) => void;
  errors: Record<string, string>;
}) {
  const kind = freezeWindowKind(window);
  const update = (patch: Record<string, unknown>) => onChange({ ...window, ...patch } as FreezeWindow);
  const known = new Set(['name', 'timeZone', 'start', 'end', 'days', 'startTime', 'endTime', 'startDay', 'endDay']);
  const other = Object.entries(errors).filter(([key]) => !known.has(key));
  return (
    <div className="grid gap-3 sm:grid-cols-4">
      {other.map(([key, message]) => (
        <FieldError key={key} error={key === '(window)' ? message : `${key}: ${message}`} />
      ))}
      <TextField label="Name" value={window.name} onChange={(name) => update({ name })} error={errors.name} />
      <SelectField<Kind>
        label="Repeats"
        value={kind}
        onChange={(k) => onChange(windowOfKind(k, { name: window.name, timeZone: window.timeZone }))}
        options={[
          { value: 'weekly', label: 'Weekly, across days' },
          { value: 'daily', label: 'On chosen days' },
          { value: 'one-off', label: 'Once' },
        ]}
      />
      <div className="sm:col-span-2">
        <TimeZoneField value={window.timeZone} onChange={(timeZone) => update({ timeZone })} error={errors.timeZone} />
      </div>
      {isOneOffFreezeWindow(window) && (
        <>
          <TextField
            className="sm:col-span-2"
            label="Starts"
            mono
            placeholder="2025-12-24T18:00"
            value={window.start}
            onChange={(start) => update({ start })}
            error={errors.start}
          />
          <TextField
            className="sm:col-span-2"
            label="Ends"
            mono
            placeholder="2025-12-27T08:00"
            value={window.end}
            onChange={(end) => update({ end })}
            error={errors.end}
          />
        </>
      )}
      {isDailyFreezeWindow(window) && (
        <>
          <CheckboxGroup<Weekday>
            className="sm:col-span-2"
            legend="Days"
            options={DAY_OPTIONS}
            value={window.days}
            onChange={(days) => update({ days: days ?? [] })}
            error={errors.days}
          />
          <TextField
            label="From"
            mono
            placeholder="22:00"
            value={window.startTime}
            onChange={(startTime) => update({ startTime })}
            error={errors.startTime}
          />
          <TextField
            label="Until"
            mono
            placeholder="06:00"
            value={window.endTime}
            onChange={(endTime) => update({ endTime })}
            error={errors.endTime}
            hint="Before “From”: ends the next day."
          />
        </>
      )}
      {!isOneOffFreezeWindow(window) && !isDailyFreezeWindow(window) && (
        <>
          <SelectField<Weekday>
            label="From day"
            value={window.startDay}
            onChange={(startDay) => update({ startDay })}
            options={DAY_OPTIONS}
            error={errors.startDay}
          />
          <TextField
            label="From time"
            mono
            placeholder="18:00"
            value={window.startTime}
            onChange={(startTime) => update({ startTime })}
            error={errors.startTime}
          />
          <SelectField<Weekday>
            label="Until day"
            value={window.endDay}
            onChange={(endDay) => update({ endDay })}
            options={DAY_OPTIONS}
            error={errors.endDay}
          />
          <TextField
            label="Until time"
            mono
            placeholder="08:00"
            value={window.endTime}
            onChange={(endTime) => update({ endTime })}
            error={errors.endTime}
          />
        </>
      )}
    </div>
  );
}

export function FreezeWindowsSetting({
  windows,
  onChange,
  canEdit,
  errorsFor,
  activeName,
}: {
  windows: Keyed<FreezeWindow>[];
  onChange: (windows: Keyed<FreezeWindow>[]) => void;
  canEdit: boolean;
  errorsFor: Errors;
  activeName?: string | null;
}) {
  const [counter, setCounter] = useState(0);
  return (
    <div className="space-y-3">
      {windows.length === 0 ? (
        <EmptyState title="No freeze windows">
          {canEdit
            ? 'Add one to stop writes during releases, weekends or holidays (with a rule that matches “during a freeze window”).'
            : 'Writes are never frozen by time.'}
        </EmptyState>
      ) : (
        <ul className="space-y-3" aria-label="Freeze windows">
          {windows.map(({ key, value }, index) => (
            <li key={key} className="rounded-md p-3 ring-1 ring-slate-200" aria-label={`Freeze window ${value.name}`}>
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-medium text-slate-900">{value.name || 'Unnamed window'}</span>
                  <Badge>{freezeWindowKind(value)}</Badge>
                  <span className="text-slate-600">{describeFreezeWindow(value)}</span>
                  {activeName && activeName === value.name && <Badge tone="red">in effect now</Badge>}
                </div>
                {canEdit && (
                  <ConfirmButton
                    question={`Remove the freeze window “${value.name}”?`}
                    confirmLabel="Remove"
                    onConfirm={() => onChange(windows.filter((w) => w.key !== key))}
                  >
                    Remove
                  </ConfirmButton>
                )}
              </div>
              {canEdit && (
                <FreezeWindowForm
                  window={value}
                  errors={errorsFor(`freezeWindows[${index}]`)}
                  onChange={(next) => onChange(windows.map((w) => (w.key === key ? { key, value: next } : w)))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <Button
          variant="secondary"
          size="sm"
          onClick={() => {
            setCounter(counter + 1);
            onChange([...windows, { key: `new-window-${counter}`, value: newFreezeWindow() }]);
          }}
        >
          Add freeze window
        </Button>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Blast-radius thresholds

const LEVELS = ['medium', 'high', 'critical'] as const;
const LEVEL_LABELS = { medium: 'Medium', high: 'High', critical: 'Critical' } as const;

export function ThresholdsSetting({
  value,
  onChange,
  canEdit,
  errors,
}: {
  value: BlastRadiusThresholds;
  onChange: (value: BlastRadiusThresholds) => void;
  canEdit: boolean;
  errors: Record<string, string>;
}) {
  return (
    <div className="space-y-2">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="pb-2 font-medium">Level</th>
            <th className="pb-2 font-medium">Files changed</th>
            <th className="pb-2 font-medium">Lines changed</th>
          </tr>
        </thead>
        <tbody>
          {LEVELS.map((level) => (
            <tr key={level} className="align-top">
              <th scope="row" className="py-1.5 pr-3 text-left font-medium text-slate-700">
                {LEVEL_LABELS[level]}
              </th>
              {(['files', 'lines'] as const).map((metric) => (
                <td key={metric} className="py-1.5 pr-3">
                  {canEdit ? (
                    <div className="max-w-32">
                      <NumberField
                        label={`${LEVEL_LABELS[level]} ${metric}`}
                        min={1}
                        value={value[level]?.[metric]}
                        onChange={(n) =>
                          onChange({ ...value, [level]: { ...value[level], [metric]: n } } as BlastRadiusThresholds)
                        }
                        error={errors[`${level}.${metric}`] ?? errors[level]}
                        className="[&>label]:sr-only"
                      />
                    </div>
                  ) : (
                    <span className="tabular-nums text-slate-900">{value[level]?.[metric]}+</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">
        A write reaches a level when it changes at least that many files or lines. Sensitive paths, deletions and
        protected targets raise the rating too.
      </p>
    </div>
  );
}
