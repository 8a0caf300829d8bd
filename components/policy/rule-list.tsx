'use client';

// The ordered rules of a policy: each with its effect, a readable summary of its conditions and,
// for members who may edit, controls to reorder, edit and delete it.
import { useEffect, useRef } from 'react';
import type { PolicyPreset } from '@/lib/policy/presets';
import type { Rule } from '@/lib/policy/policy-schema';
import { Badge, EmptyState } from '@/components/ui/card';
import { Button } from '@/components/ui/button';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { describeMatch, stableJson } from './describe';
import { EffectBadge } from './effect-badge';
import { RuleEditor } from './rule-editor';
import type { Keyed } from './policy-settings';

function differsFromPreset(rule: Rule, preset: PolicyPreset | undefined): boolean {
  if (!preset) return false;
  const behaviour = (r: Rule) => ({ match: r.match, effect: r.effect, approvals: r.approvals, message: r.message });
  return stableJson(behaviour(rule)) !== stableJson(behaviour(preset.rule));
}

export function RuleList({
  rules,
  presets,
  canEdit,
  openKeys,
  focusKey,
  errorsFor,
  onChange,
  onToggleOpen,
}: {
  rules: Keyed<Rule>[];
  presets: readonly PolicyPreset[];
  canEdit: boolean;
  openKeys: ReadonlySet<string>;
  /** A rule just added: scrolled into view once. */
  focusKey?: string;
  errorsFor: (prefix: string) => Record<string, string>;
  onChange: (rules: Keyed<Rule>[]) => void;
  onToggleOpen: (key: string) => void;
}) {
  if (rules.length === 0) {
    return (
      <EmptyState title="No rules">
        Every call gets the default effect below.{canEdit && ' Add a rule from a preset or start from a blank one.'}
      </EmptyState>
    );
  }

  function move(index: number, by: -1 | 1) {
    const next = [...rules];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  }

  return (
    <ol className="space-y-2" aria-label="Rules">
      {rules.map(({ key, value: rule }, index) => (
        <RuleItem
          key={key}
          index={index}
          count={rules.length}
          rule={rule}
          preset={rule.preset ? presets.find((p) => p.key === rule.preset) : undefined}
          canEdit={canEdit}
          open={openKeys.has(key)}
          focus={focusKey === key}
          errors={errorsFor(`rules[${index}]`)}
          onChange={(next) => onChange(rules.map((r) => (r.key === key ? { key, value: next } : r)))}
          onMove={(by) => move(index, by)}
          onDelete={() => onChange(rules.filter((r) => r.key !== key))}
          onToggleOpen={() => onToggleOpen(key)}
        />
      ))}
    </ol>
  );
}

function RuleItem({
  index,
  count,
  rule,
  preset,
  canEdit,
  open,
  focus,
  errors,
  onChange,
  onMove,
  onDelete,
  onToggleOpen,
}: {
  index: number;
  count: number;
  rule: Rule;
  preset?: PolicyPreset;
  canEdit: boolean;
  open: boolean;
  focus: boolean;
  errors: Record<string, string>;
  onChange: (rule: Rule) => void;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
  onToggleOpen: () => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focus) ref.current?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }, [focus]);

  const conditions = describeMatch(rule.match ?? {});
  const problems = Object.keys(errors).length;
  const name = rule.name.trim() || 'Unnamed rule';
  const description = rule.description ?? preset?.description;

  return (
    <li
      ref={ref}
      aria-label={name}
      className={`rounded-lg p-3 ring-1 transition ${
        problems ? 'ring-red-300' : open ? 'ring-indigo-300' : 'ring-slate-200'
      } ${rule.enabled ? 'bg-white' : 'bg-slate-50'}`}
    >
      <div className="flex flex-wrap items-start gap-3">
        <span
          className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-slate-100 text-xs font-semibold tabular-nums text-slate-600"
          aria-hidden="true"
        >
          {index + 1}
        </span>
        <div className={`min-w-0 flex-1 basis-52 ${rule.enabled ? '' : 'opacity-60'}`}>
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold text-slate-900">{name}</h3>
            <EffectBadge effect={rule.effect} approvals={rule.approvals} />
            {!rule.enabled && <Badge>disabled</Badge>}
            {rule.preset && (
              <span className="font-mono text-[11px] text-slate-500" title="The preset this rule was made from">
                preset: {rule.preset}
                {differsFromPreset(rule, preset) && ' (edited)'}
              </span>
            )}
            {problems > 0 && <Badge tone="red">{problems === 1 ? '1 problem' : `${problems} problems`}</Badge>}
          </div>
          <ul className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs" aria-label={`Conditions of ${name}`}>
            <li className="text-slate-500">When</li>
            {conditions.length === 0 ? (
              <li className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">every call</li>
            ) : (
              conditions.map((c, i) => (
                <li key={i} className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">
                  {c}
                </li>
              ))
            )}
          </ul>
          {description && <p className="mt-1.5 text-xs text-slate-500">{description}</p>}
          {!canEdit && rule.message && (
            <details className="mt-1.5 text-xs">
              <summary className="cursor-pointer text-slate-500 hover:text-slate-700">Message to the agent</summary>
              <p className="mt-1 rounded bg-slate-50 p-2 text-slate-700">{rule.message}</p>
            </details>
          )}
        </div>
        {canEdit && (
          <div className="ml-auto flex shrink-0 items-center gap-1">
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Move ${name} up`}
              title="Move up"
              disabled={index === 0}
              onClick={() => onMove(-1)}
            >
              ↑
            </Button>
            <Button
              variant="ghost"
              size="sm"
              aria-label={`Move ${name} down`}
              title="Move down"
              disabled={index === count - 1}
              onClick={() => onMove(1)}
            >
              ↓
            </Button>
            <Button
              variant={open ? 'primary' : 'secondary'}
              size="sm"
              aria-expanded={open}
              aria-label={`${open ? 'Close' : 'Edit'} ${name}`}
              onClick={onToggleOpen}
            >
              {open ? 'Done' : 'Edit'}
            </Button>
            <ConfirmButton question={`Delete “${name}”?`} confirmLabel="Delete" onConfirm={onDelete}>
              Delete
            </ConfirmButton>
          </div>
        )}
      </div>
      {canEdit && open && <RuleEditor rule={rule} onChange={onChange} errors={errors} />}
    </li>
  );
}
