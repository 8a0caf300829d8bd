'use client';

// The policy page's working area. It holds the whole policy document being edited in state:
// rules, default effect, freeze windows and blast-radius thresholds are changed here and saved
// together as one new version ("Save policy"), on top of the version the editor started from so
// a concurrent save is never silently overwritten. Field errors come from the policy schema the
// server validates with. Members who cannot edit see the same page without controls.
import { useEffect, useMemo, useState, useTransition } from 'react';
import { policyDocumentSchema, type PolicyDocument, type Rule } from '@/lib/policy/policy-schema';
import { policyIssues, type PolicyIssue } from '@/lib/policy/policy-io';
import { POLICY_PRESETS, presetRule } from '@/lib/policy/presets';
import { savePolicyAction } from '@/app/(dashboard)/rooms/[roomId]/policy/actions';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormError, FormSuccess } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import { SelectField } from './controls';
import { stableJson } from './describe';
import { IssueList } from './issue-list';
import { PolicyImport } from './policy-import';
import { DefaultEffectSetting, FreezeWindowsSetting, ThresholdsSetting, type Keyed } from './policy-settings';
import { PolicySimulator, type RoomBranches } from './policy-simulator';
import { RuleList } from './rule-list';

type Draft = {
  defaultEffect: PolicyDocument['defaultEffect'];
  rules: Keyed<Rule>[];
  freezeWindows: Keyed<PolicyDocument['freezeWindows'][number]>[];
  blastRadius: PolicyDocument['blastRadius'];
};

function toDraft(document: PolicyDocument, generation: number): Draft {
  return {
    defaultEffect: document.defaultEffect,
    rules: document.rules.map((value, i) => ({ key: `g${generation}-r${i}`, value })),
    freezeWindows: document.freezeWindows.map((value, i) => ({ key: `g${generation}-w${i}`, value })),
    blastRadius: document.blastRadius,
  };
}

function toDocument(draft: Draft): PolicyDocument {
  return {
    defaultEffect: draft.defaultEffect,
    rules: draft.rules.map((r) => r.value),
    freezeWindows: draft.freezeWindows.map((w) => w.value),
    blastRadius: draft.blastRadius,
  };
}

/** The problems of one part of the document, keyed by field path below `prefix` (indices dropped). */
function issuesBelow(issues: readonly PolicyIssue[], prefix: string, self: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    let key: string | undefined;
    if (issue.path === prefix) key = self;
    else if (issue.path.startsWith(`${prefix}.`)) key = issue.path.slice(prefix.length + 1).replace(/\[\d+\]/g, '');
    if (key !== undefined) out[key] ??= issue.message;
  }
  return out;
}

function uniqueRuleId(base: string, rules: readonly Keyed<Rule>[]): string {
  const taken = new Set(rules.map((r) => r.value.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function PolicyWorkspace({
  roomId,
  version,
  document,
  canEdit,
  room,
  activeFreezeWindow,
}: {
  roomId: string;
  version: number;
  document: PolicyDocument;
  canEdit: boolean;
  room: RoomBranches;
  activeFreezeWindow?: string | null;
}) {
  const [saved, setSaved] = useState({ version, document });
  const [generation, setGeneration] = useState(0);
  const [draft, setDraft] = useState(() => toDraft(document, 0));
  const [openKeys, setOpenKeys] = useState<ReadonlySet<string>>(new Set());
  const [focusKey, setFocusKey] = useState<string>();
  const [toAdd, setToAdd] = useState('');
  const [status, setStatus] = useState<{ ok?: boolean; message?: string; issues?: PolicyIssue[] }>({});
  const [pending, startTransition] = useTransition();
  // Counts saves refused for problems: each one moves focus to the first invalid field.
  const [saveAttempts, setSaveAttempts] = useState(0);

  const current = useMemo(() => toDocument(draft), [draft]);
  const dirty = useMemo(() => stableJson(current) !== stableJson(saved.document), [current, saved.document]);
  const issues = useMemo(() => {
    const result = policyDocumentSchema.safeParse(current);
    return result.success ? [] : policyIssues(result.error);
  }, [current]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  function update(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus({});
  }

  function reset(document: PolicyDocument) {
    const next = generation + 1;
    setGeneration(next);
    setDraft(toDraft(document, next));
    setOpenKeys(new Set());
    setFocusKey(undefined);
  }

  function addRule() {
    const preset = toAdd ? presetRule(toAdd) : undefined;
    const base: Rule = preset ?? {
      id: 'rule',
      name: 'New rule',
      enabled: true,
      match: {},
      effect: 'require_approval',
      approvals: 1,
    };
    const rule = { ...base, id: uniqueRuleId(base.id, draft.rules) };
    const key = `g${generation}-new${draft.rules.length}-${Date.now()}`;
    update({ rules: [...draft.rules, { key, value: rule }] });
    setOpenKeys(new Set([...openKeys, key]));
    setFocusKey(key);
  }

  function save() {
    if (issues.length > 0) {
      // Open every rule with a problem, so each invalid field shows (and the first takes focus).
      const withProblems = draft.rules.filter((_, i) =>
        issues.some((issue) => issue.path === `rules[${i}]` || issue.path.startsWith(`rules[${i}].`)),
      );
      setOpenKeys(new Set([...openKeys, ...withProblems.map((r) => r.key)]));
      setStatus({ ok: false, message: 'Nothing was saved.', issues });
      setSaveAttempts((n) => n + 1);
      return;
    }
    startTransition(async () => {
      const result = await savePolicyAction(roomId, saved.version, current);
      if (result.ok) {
        setSaved({ version: result.version, document: result.document });
        setDraft((d) => ({
          ...toDraft(result.document, generation),
          // keep the keys, so open editors stay open
          rules: result.document.rules.map((value, i) => ({ key: d.rules[i]?.key ?? `g${generation}-r${i}`, value })),
          freezeWindows: result.document.freezeWindows.map((value, i) => ({
            key: d.freezeWindows[i]?.key ?? `g${generation}-w${i}`,
            value,
          })),
        }));
        setStatus({ ok: true, message: `Saved as version ${result.version}.` });
      } else {
        setStatus({ ok: false, message: result.message, issues: result.issues });
      }
    });
  }

  // Every problem by its path: the banner shows while any field has one; a save attempt moves focus.
  const fieldErrors = useMemo(() => Object.fromEntries(issues.map((i) => [i.path, i.message])), [issues]);
  const presetInUse = new Set(draft.rules.map((r) => r.value.preset).filter(Boolean));
  const selectedPreset = POLICY_PRESETS.find((p) => p.key === toAdd);

  return (
    <div className="space-y-6" data-form-errors-scope>
      {canEdit && <FormErrors fieldErrors={fieldErrors} focusOn={saveAttempts} />}
      <Card
        title="Rules"
        description="Tried in order, top to bottom: the first enabled rule whose conditions all hold decides the call."
      >
        <RuleList
          rules={draft.rules}
          presets={POLICY_PRESETS}
          canEdit={canEdit}
          openKeys={openKeys}
          focusKey={focusKey}
          errorsFor={(prefix) => issuesBelow(issues, prefix, '(rule)')}
          onChange={(rules) => update({ rules })}
          onToggleOpen={(key) => {
            const next = new Set(openKeys);
            if (next.has(key)) next.delete(key);
            else next.add(key);
            setOpenKeys(next);
          }}
        />
        {canEdit && (
          <div
            className="mt-4 flex flex-wrap items-end gap-3 border-t border-slate-200 pt-4"
            role="group"
            aria-label="Add a rule"
          >
            <SelectField
              className="min-w-72"
              label="New rule from"
              value={toAdd}
              onChange={setToAdd}
              options={[
                { value: '', label: 'A blank rule' },
                ...POLICY_PRESETS.map((p) => ({
                  value: p.key,
                  label: `Preset: ${p.name}${presetInUse.has(p.key) ? ' (in use)' : ''}`,
                })),
              ]}
            />
            <Button variant="secondary" onClick={addRule}>
              Add rule
            </Button>
            <p className="basis-full text-xs text-slate-500">
              {selectedPreset
                ? selectedPreset.description
                : 'A blank rule matches every call until you give it conditions.'}{' '}
              New rules go to the end; move them up to take effect before broader rules.
            </p>
          </div>
        )}
      </Card>

      <div className="grid gap-6 md:grid-cols-2">
        <Card title="When no rule matches" description="The default effect for calls that no enabled rule decides.">
          <DefaultEffectSetting
            value={draft.defaultEffect}
            onChange={(defaultEffect) => update({ defaultEffect })}
            canEdit={canEdit}
            error={issuesBelow(issues, 'defaultEffect', 'value').value}
          />
        </Card>
        <Card title="Blast-radius thresholds" description="How big a change must be to rate Medium, High or Critical.">
          <ThresholdsSetting
            value={draft.blastRadius}
            onChange={(blastRadius) => update({ blastRadius })}
            canEdit={canEdit}
            errors={issuesBelow(issues, 'blastRadius', '(thresholds)')}
          />
        </Card>
      </div>

      <Card
        title="Freeze windows"
        description="Times when rules matching “during a freeze window” apply — by default, every write is blocked."
      >
        <FreezeWindowsSetting
          windows={draft.freezeWindows}
          onChange={(freezeWindows) => update({ freezeWindows })}
          canEdit={canEdit}
          errorsFor={(prefix) => issuesBelow(issues, prefix, '(window)')}
          activeName={activeFreezeWindow}
        />
      </Card>

      {canEdit && (
        <div
          role="region"
          aria-label="Save policy"
          className={`space-y-2 rounded-lg p-4 ring-1 ${
            dirty ? 'sticky bottom-4 z-10 bg-amber-50 shadow-lg ring-amber-300' : 'bg-white shadow-sm ring-slate-200'
          }`}
        >
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-sm text-slate-700">
              {dirty ? (
                <>
                  <strong className="font-semibold text-amber-900">Unsaved changes</strong> to version {saved.version}
                  {issues.length > 0 && (
                    <span className="text-red-700">
                      {' '}
                      · {issues.length === 1 ? '1 problem' : `${issues.length} problems`} to fix
                    </span>
                  )}
                </>
              ) : (
                <>All changes saved · version {saved.version}</>
              )}
            </p>
            <div className="flex gap-2">
              {dirty && (
                <Button
                  variant="ghost"
                  onClick={() => {
                    reset(saved.document);
                    setStatus({});
                  }}
                  disabled={pending}
                >
                  Discard changes
                </Button>
              )}
              <Button onClick={save} disabled={!dirty || pending}>
                {pending ? 'Saving…' : 'Save policy'}
              </Button>
            </div>
          </div>
          {status.ok ? <FormSuccess message={status.message} /> : <FormError message={status.message} />}
          {!status.ok && status.issues && (
            <div className="max-h-48 overflow-y-auto">
              <IssueList issues={status.issues} label="Policy problems" />
            </div>
          )}
        </div>
      )}

      <Card
        title="Simulator"
        description="What would happen if an agent made this call? Uses the gateway’s own decision step; nothing runs."
      >
        <PolicySimulator
          roomId={roomId}
          room={room}
          savedVersion={saved.version}
          savedRules={saved.document.rules}
          dirty={dirty}
        />
      </Card>

      {canEdit && (
        <Card
          title="Import"
          description="Replace the whole policy with one written as YAML or JSON (the format Export gives you)."
        >
          <PolicyImport
            roomId={roomId}
            basedOnVersion={saved.version}
            dirty={dirty}
            onImported={(importedVersion, importedDocument) => {
              setSaved({ version: importedVersion, document: importedDocument });
              reset(importedDocument);
              setStatus({});
            }}
          />
        </Card>
      )}
    </div>
  );
}
