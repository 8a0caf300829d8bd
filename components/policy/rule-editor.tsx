'use client';

// The form for one rule: its name, effect and message, and every condition of its match. Each
// change is reported up as a whole rule; field errors come from the policy schema (the same one
// the server validates with), keyed by field path within the rule ("match.branches").
import {
  BLAST_RADIUS_LABELS,
  BLAST_RADIUS_LEVELS,
  CI_STATUSES,
  EFFECTS,
  MAX_APPROVALS,
  ROLES,
  TOOL_NAMES,
  type Match,
  type Rule,
} from '@/lib/policy/policy-schema';
import {
  CheckboxGroup,
  ListField,
  NumberField,
  SelectField,
  TextAreaField,
  TextField,
  TriStateField,
  FieldError,
} from './controls';
import { EFFECT_LABELS } from './effect-badge';

const TOOL_OPTIONS = [
  { value: 'read' as const, label: <strong className="font-semibold">all reads</strong> },
  { value: 'write' as const, label: <strong className="font-semibold">all writes</strong> },
  ...TOOL_NAMES.map((tool) => ({ value: tool, label: <code className="text-xs">{tool}</code> })),
];

const EFFECT_HINTS: Record<string, string> = {
  allow: 'The call runs (and is audited).',
  rewrite: 'A push to a protected branch becomes a new branch plus a pull request. Other tools are blocked.',
  require_approval: 'The call waits for reviewers (ADMIN or OWNER, never the requester).',
  block: 'The call is refused; the agent sees the message.',
};

export function RuleEditor({
  rule,
  onChange,
  errors,
}: {
  rule: Rule;
  onChange: (rule: Rule) => void;
  /** Problems by field path within the rule, e.g. "name", "match.branches". */
  errors: Record<string, string>;
}) {
  const match = rule.match;
  const err = (key: string) => errors[key];

  function set<K extends keyof Rule>(key: K, value: Rule[K] | undefined) {
    const next = { ...rule } as Record<string, unknown>;
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next as Rule);
  }

  function setMatch<K extends keyof Match>(key: K, value: Match[K] | undefined) {
    const next = { ...match } as Record<string, unknown>;
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ ...rule, match: next as Match });
  }

  function setPaths(which: 'any' | 'all', value: string[] | undefined) {
    const paths = { ...(match.paths ?? {}) } as { any?: string[]; all?: string[] };
    if (value === undefined) delete paths[which];
    else paths[which] = value;
    setMatch('paths', paths.any || paths.all ? paths : undefined);
  }

  function setEffect(effect: Rule['effect']) {
    const next = { ...rule, effect } as Record<string, unknown>;
    if (effect === 'require_approval') next.approvals = rule.approvals ?? 1;
    else delete next.approvals;
    onChange(next as Rule);
  }

  const known = new Set([
    'id',
    'name',
    'description',
    'enabled',
    'effect',
    'approvals',
    'message',
    'match.paths.any',
    'match.paths.all',
    ...Object.keys(CONDITION_FIELDS).map((k) => `match.${k}`),
  ]);
  const otherErrors = Object.entries(errors).filter(([key]) => !known.has(key));

  return (
    <div className="mt-4 space-y-5 border-t border-slate-200 pt-4">
      {otherErrors.map(([key, message]) => (
        <FieldError key={key} error={key === '(rule)' ? message : `${key}: ${message}`} />
      ))}
      <div className="grid gap-4 sm:grid-cols-6">
        <TextField
          className="sm:col-span-3"
          label="Name"
          value={rule.name}
          onChange={(name) => set('name', name)}
          error={err('name')}
        />
        <TextField
          className="sm:col-span-2"
          label="Rule ID"
          mono
          value={rule.id}
          onChange={(id) => set('id', id)}
          error={err('id')}
          hint="Unique; recorded in the audit log."
        />
        <div className="flex items-end pb-2 sm:col-span-1">
          <label className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
            <input
              type="checkbox"
              className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
              checked={rule.enabled}
              onChange={(e) => set('enabled', e.target.checked)}
            />
            Enabled
          </label>
        </div>
        <SelectField
          className="sm:col-span-3"
          label="Effect"
          value={rule.effect}
          onChange={setEffect}
          options={EFFECTS.map((e) => ({ value: e, label: EFFECT_LABELS[e] ?? e }))}
          hint={EFFECT_HINTS[rule.effect]}
          error={err('effect')}
        />
        {rule.effect === 'require_approval' && (
          <NumberField
            className="sm:col-span-2"
            label="Approvals needed"
            min={1}
            value={rule.approvals}
            onChange={(n) => set('approvals', n)}
            error={err('approvals')}
            hint={`1 to ${MAX_APPROVALS} reviewers.`}
          />
        )}
        <TextAreaField
          className="sm:col-span-6"
          label="Message to the agent"
          value={rule.message ?? ''}
          onChange={(message) => set('message', message.trim() === '' ? undefined : message)}
          error={err('message')}
          placeholder="Leave empty for the standard message."
          hint={
            <>
              Placeholders: <code>{'{rule}'}</code> <code>{'{branch}'}</code> <code>{'{baseBranch}'}</code>{' '}
              <code>{'{newBranch}'}</code> <code>{'{branchPattern}'}</code> <code>{'{freezeWindow}'}</code>{' '}
              <code>{'{secrets}'}</code> <code>{'{blastRadius}'}</code>
            </>
          }
        />
        <TextAreaField
          className="sm:col-span-6"
          label="Description"
          rows={1}
          value={rule.description ?? ''}
          onChange={(d) => set('description', d === '' ? undefined : d)}
          error={err('description')}
          placeholder="Optional: why this rule exists, for the people who read the policy."
        />
      </div>

      <fieldset className="space-y-4 rounded-md bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
        <legend className="px-1 text-sm font-semibold text-slate-900">Conditions</legend>
        <p className="-mt-2 text-xs text-slate-600">
          Every condition you fill in must hold; leave a field empty (or “Any”) to not check it. No conditions at all
          match every call.
        </p>
        <FieldError error={err('match')} />
        <CheckboxGroup
          legend="Tools"
          options={TOOL_OPTIONS}
          value={match.tools}
          onChange={(v) => setMatch('tools', v)}
          error={err('match.tools')}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <CheckboxGroup
            legend="Roles"
            options={ROLES.map((r) => ({ value: r, label: r }))}
            value={match.roles}
            onChange={(v) => setMatch('roles', v)}
            error={err('match.roles')}
          />
          <CheckboxGroup
            legend="CI status (github rooms)"
            options={CI_STATUSES.map((s) => ({ value: s, label: s }))}
            value={match.ciStatus}
            onChange={(v) => setMatch('ciStatus', v)}
            error={err('match.ciStatus')}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <ListField
            label="Branches"
            placeholder="main, release/**"
            value={match.branches}
            onChange={(v) => setMatch('branches', v)}
            error={err('match.branches')}
            hint={
              <>
                Comma-separated globs; <code>$room</code> is the room’s pattern.
              </>
            }
          />
          <ListField
            label="Base branches"
            placeholder="main"
            value={match.baseBranches}
            onChange={(v) => setMatch('baseBranches', v)}
            error={err('match.baseBranches')}
            hint="Of a pull request."
          />
          <TextField
            label="New branch name not matching"
            mono
            placeholder="$room"
            value={match.branchNameNotMatching ?? ''}
            onChange={(v) => setMatch('branchNameNotMatching', v.trim() === '' ? undefined : v.trim())}
            error={err('match.branchNameNotMatching')}
            hint="Holds when a new branch does not match this glob."
          />
          <ListField
            label="Paths (any)"
            placeholder="src/auth/**, *.sql"
            value={match.paths?.any}
            onChange={(v) => setPaths('any', v)}
            error={err('match.paths.any') ?? err('match.paths')}
            hint="Some changed path matches one of these."
          />
          <ListField
            label="Paths (all)"
            placeholder="docs/**, *.md"
            value={match.paths?.all}
            onChange={(v) => setPaths('all', v)}
            error={err('match.paths.all')}
            hint="Every changed path matches one of these."
          />
          <SelectField
            label="Blast radius at least"
            value={match.blastRadius ?? ''}
            onChange={(v) => setMatch('blastRadius', v === '' ? undefined : v)}
            options={[
              { value: '' as const, label: 'Any (not checked)' },
              ...BLAST_RADIUS_LEVELS.map((l) => ({ value: l, label: BLAST_RADIUS_LABELS[l] })),
            ]}
            error={err('match.blastRadius')}
          />
          <NumberField
            label="At least this many files"
            min={0}
            value={match.minFiles}
            onChange={(v) => setMatch('minFiles', v)}
            error={err('match.minFiles')}
          />
          <NumberField
            label="At least this many lines"
            min={0}
            value={match.minLines}
            onChange={(v) => setMatch('minLines', v)}
            error={err('match.minLines')}
            hint="Added plus deleted."
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-4">
          <TriStateField
            label="Protected target"
            yes="Default or protected branch"
            no="Neither"
            value={match.protectedTarget}
            onChange={(v) => setMatch('protectedTarget', v)}
            error={err('match.protectedTarget')}
          />
          <TriStateField
            label="Sensitive paths"
            yes="Touches one"
            no="Touches none"
            value={match.sensitivePaths}
            onChange={(v) => setMatch('sensitivePaths', v)}
            error={err('match.sensitivePaths')}
          />
          <TriStateField
            label="Freeze window"
            yes="During one"
            no="Outside all"
            value={match.duringFreeze}
            onChange={(v) => setMatch('duringFreeze', v)}
            error={err('match.duringFreeze')}
          />
          <TriStateField
            label="Secrets in content"
            yes="Found"
            no="None found"
            value={match.secretsFound}
            onChange={(v) => setMatch('secretsFound', v)}
            error={err('match.secretsFound')}
          />
          <TriStateField
            label="Approving GitHub review"
            yes="Has one"
            no="Has none"
            value={match.reviewApproved}
            onChange={(v) => setMatch('reviewApproved', v)}
            error={err('match.reviewApproved')}
          />
        </div>
      </fieldset>
    </div>
  );
}

/** The match fields the form has a control for (anything else is shown as a general error). */
const CONDITION_FIELDS: Record<keyof Match, true> = {
  tools: true,
  roles: true,
  branches: true,
  baseBranches: true,
  protectedTarget: true,
  branchNameNotMatching: true,
  paths: true,
  sensitivePaths: true,
  minFiles: true,
  minLines: true,
  blastRadius: true,
  duringFreeze: true,
  secretsFound: true,
  ciStatus: true,
  reviewApproved: true,
};
