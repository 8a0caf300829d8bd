'use client';

// "What would happen if a DEVELOPER pushed these paths to main?" The simulator sends a made-up
// call to the gateway's own decision step (nothing is executed) and shows the decision the agent
// would get plus, rule by rule, which matched and which conditions did not hold. A result always
// answers the call the form describes: once the form changes it is marked out of date, and a form
// that shows an error shows no result at all.
import { useState, useTransition } from 'react';
import { ROLES, TOOL_NAMES, type Rule } from '@/lib/policy/policy-schema';
import { isProtectedTarget } from '@/lib/policy/blast-radius';
import { simulateAction } from '@/app/(dashboard)/rooms/[roomId]/policy/actions';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { FormErrors } from '@/components/ui/form-errors';
import { CONTROL, SelectField, TextAreaField, TextField } from './controls';
import { CONDITION_LABELS, describeConditions } from './describe';
import { BlastRadiusBadge, EffectBadge } from './effect-badge';
import type { SimulationOutcome } from './types';

const BRANCH_TOOLS = new Set(['create_branch', 'push_files', 'delete_branch', 'create_pull_request']);

export type RoomBranches = { defaultBranch: string; protectedBranches: string[]; branchPattern: string };

export function PolicySimulator({
  roomId,
  room,
  savedVersion,
  savedRules,
  dirty,
}: {
  roomId: string;
  room: RoomBranches;
  savedVersion: number;
  savedRules: readonly Rule[];
  dirty: boolean;
}) {
  const [role, setRole] = useState<(typeof ROLES)[number]>('DEVELOPER');
  const [tool, setTool] = useState<(typeof TOOL_NAMES)[number]>('push_files');
  const [branch, setBranch] = useState('');
  const [baseBranch, setBaseBranch] = useState('');
  const [pullNumber, setPullNumber] = useState('');
  const [pathsText, setPathsText] = useState('src/app.ts');
  const [withContents, setWithContents] = useState(false);
  const [contents, setContents] = useState<Record<string, string>>({});
  const [at, setAt] = useState('');
  const [outcome, setOutcome] = useState<SimulationOutcome | null>(null);
  // The form as it was when `outcome` was computed.
  const [outcomeInput, setOutcomeInput] = useState<string | null>(null);
  const [error, setError] = useState<{ message?: string; fieldErrors?: Record<string, string | undefined> }>({});
  const [pending, startTransition] = useTransition();

  const paths =
    tool === 'push_files'
      ? [
          ...new Set(
            pathsText
              .split('\n')
              .map((p) => p.trim())
              .filter(Boolean),
          ),
        ]
      : [];

  const formInput = JSON.stringify([
    role,
    tool,
    branch,
    baseBranch,
    pullNumber,
    pathsText,
    withContents,
    withContents ? contents : null,
    at,
  ]);
  const stale = outcome !== null && outcomeInput !== formInput;

  function showError(next: { message?: string; fieldErrors?: Record<string, string | undefined> }) {
    setOutcome(null);
    setOutcomeInput(null);
    setError(next);
  }

  function simulate(event: React.FormEvent) {
    event.preventDefault();
    // The server's schema (lib/policies/simulate-call.ts) decides what is missing or wrong.
    const submitted = formInput;
    const input = {
      role,
      tool,
      ...(BRANCH_TOOLS.has(tool) && branch.trim() ? { branch: branch.trim() } : {}),
      ...(tool === 'create_pull_request' && baseBranch.trim() ? { baseBranch: baseBranch.trim() } : {}),
      ...(tool === 'merge_pull_request' && pullNumber.trim() ? { pullNumber: pullNumber.trim() } : {}),
      files: paths.map((path) => (withContents ? { path, content: contents[path] ?? '' } : { path })),
      ...(at ? { at: localDateTime(at) } : {}),
    };
    startTransition(async () => {
      const result = await simulateAction(roomId, input);
      if (result.ok) {
        setOutcome(result.outcome);
        setOutcomeInput(submitted);
        setError({});
      } else {
        showError({ message: result.message, fieldErrors: result.fieldErrors });
      }
    });
  }

  const fieldError = (key: string) => error.fieldErrors?.[key];

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <form onSubmit={simulate} className="space-y-3" aria-label="Simulate a call" noValidate>
        <FormErrors message={error.message} fieldErrors={error.fieldErrors} />
        {dirty && (
          <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-inset ring-amber-200">
            The simulator uses the saved policy (version {savedVersion}). Save your changes to simulate them.
          </p>
        )}
        <div className="grid grid-cols-2 gap-3">
          <SelectField
            label="Role"
            value={role}
            onChange={setRole}
            options={ROLES.map((r) => ({ value: r, label: r }))}
            error={fieldError('role')}
          />
          <SelectField
            label="Tool"
            value={tool}
            onChange={setTool}
            options={TOOL_NAMES.map((t) => ({ value: t, label: t }))}
            error={fieldError('tool')}
          />
        </div>
        {BRANCH_TOOLS.has(tool) && (
          <TextField
            label={tool === 'create_pull_request' ? 'Head branch' : 'Branch'}
            mono
            placeholder={room.defaultBranch}
            value={branch}
            onChange={setBranch}
            error={fieldError('branch')}
            hint={`Empty: ${room.defaultBranch}. Agents' branches: ${room.branchPattern}`}
          />
        )}
        {tool === 'create_pull_request' && (
          <TextField
            label="Base branch"
            mono
            placeholder={room.defaultBranch}
            value={baseBranch}
            onChange={setBaseBranch}
            error={fieldError('baseBranch')}
          />
        )}
        {tool === 'merge_pull_request' && (
          <TextField
            label="Pull request number"
            mono
            placeholder="1"
            value={pullNumber}
            onChange={setPullNumber}
            error={fieldError('pullNumber')}
            hint="Its changes and base branch are read from the room's repository."
          />
        )}
        {tool === 'push_files' && (
          <>
            <TextAreaField
              label="File paths (one per line)"
              rows={3}
              value={pathsText}
              onChange={setPathsText}
              error={fieldError('files')}
              placeholder={'src/app.ts\n.github/workflows/ci.yml'}
            />
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                className="h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
                checked={withContents}
                onChange={(e) => setWithContents(e.target.checked)}
              />
              Include file contents
            </label>
            <p className="-mt-1 text-xs text-slate-500">
              {withContents
                ? 'The contents are scanned for secrets and compared with the branch to size the change.'
                : 'Without contents the simulator knows the paths only: sizes count as unknown and nothing is scanned for secrets.'}
            </p>
            {withContents &&
              paths.map((path) => (
                <div key={path} className="space-y-1">
                  <label className="block text-xs font-medium text-slate-700" htmlFor={`content-${path}`}>
                    Content of <code className="font-mono">{path}</code>
                  </label>
                  <textarea
                    id={`content-${path}`}
                    rows={4}
                    value={contents[path] ?? ''}
                    onChange={(e) => setContents({ ...contents, [path]: e.target.value })}
                    className={`${CONTROL} font-mono text-xs`}
                  />
                </div>
              ))}
          </>
        )}
        <TextField
          label="At (optional)"
          type="datetime-local"
          value={at}
          onChange={setAt}
          error={fieldError('at')}
          hint="Your local time, to try freeze windows. Empty: now."
        />
        <Button type="submit" disabled={pending}>
          {pending ? 'Simulating…' : 'Simulate'}
        </Button>
      </form>
      <div>
        {outcome ? (
          <div className="space-y-3">
            {stale && (
              <p
                role="status"
                className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
              >
                Out of date: the form changed after this result. Press Simulate to see the decision for the call it
                describes now.
              </p>
            )}
            <div className={stale ? 'opacity-50' : undefined}>
              <SimulationResult
                outcome={outcome}
                rulesById={outcome.policyVersion === savedVersion ? savedRules : []}
                room={room}
              />
            </div>
          </div>
        ) : (
          <div className="flex h-full min-h-40 items-center justify-center rounded-lg border-2 border-dashed border-slate-200 p-6 text-center text-sm text-slate-500">
            Describe a call and press Simulate to see what Aegis would decide — and why. Nothing is executed.
          </div>
        )}
      </div>
    </div>
  );
}

function SimulationResult({
  outcome,
  rulesById,
  room,
}: {
  outcome: SimulationOutcome;
  rulesById: readonly Rule[];
  room: RoomBranches;
}) {
  const { facts } = outcome;
  const ruleIndex = outcome.ruleId ? outcome.rules.findIndex((r) => r.ruleId === outcome.ruleId) : -1;
  const decidedAfter = outcome.rules.findIndex((r) => r.decisive);
  const matchOf = (ruleId: string) => rulesById.find((r) => r.id === ruleId)?.match;
  const changes = facts.changes ?? [];

  return (
    <section aria-label="Simulation result" aria-live="polite" className="space-y-4">
      <div className="rounded-lg bg-slate-50 p-4 ring-1 ring-inset ring-slate-200">
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-600">Decision</span>
          <span className="text-base">
            <EffectBadge effect={outcome.effect} approvals={outcome.approvals} />
          </span>
          <span className="text-sm text-slate-700">
            {outcome.ruleId ? (
              <>
                by rule{ruleIndex >= 0 && ` ${ruleIndex + 1}`} <strong>“{outcome.ruleName}”</strong>
              </>
            ) : outcome.ruleName === 'default' ? (
              <>no rule matched: the room’s default effect</>
            ) : (
              <strong>{outcome.ruleName}</strong>
            )}
          </span>
        </div>
        {outcome.message && (
          <figure className="mt-3">
            <figcaption className="text-xs font-medium text-slate-500">What the agent would see</figcaption>
            <blockquote className="mt-1 rounded-md bg-white p-3 text-sm text-slate-800 ring-1 ring-inset ring-slate-200">
              {outcome.message}
            </blockquote>
          </figure>
        )}
        {outcome.effect === 'require_approval' && (
          <p className="mt-2 text-sm text-slate-700">
            Needs {outcome.approvals === 1 ? 'one approval' : `${outcome.approvals} approvals`} from the room’s
            reviewers (ADMIN or OWNER, not the requester).
          </p>
        )}
        {outcome.effect === 'rewrite' && (
          <p className="mt-2 text-sm text-slate-700">
            The push would go to a new branch with a pull request into <code>{facts.branch}</code>; the agent gets the
            pull request’s link.
          </p>
        )}
      </div>

      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
        <dt className="text-slate-500">Call</dt>
        <dd>
          <code className="text-xs">{facts.tool}</code> as <Badge>{facts.role}</Badge>
        </dd>
        {facts.branch && (
          <>
            <dt className="text-slate-500">Branch</dt>
            <dd className="flex flex-wrap items-center gap-1.5">
              <code className="text-xs">{facts.branch}</code>
              {isProtectedTarget(facts.branch, room) && <Badge tone="yellow">protected</Badge>}
              {facts.newBranch && <Badge tone="blue">new branch</Badge>}
            </dd>
          </>
        )}
        {facts.baseBranch && (
          <>
            <dt className="text-slate-500">Base branch</dt>
            <dd>
              <code className="text-xs">{facts.baseBranch}</code>
            </dd>
          </>
        )}
        {changes.length > 0 && (
          <>
            <dt className="text-slate-500">Changes</dt>
            <dd>
              <ul className="space-y-0.5">
                {changes.slice(0, 8).map((c) => (
                  <li key={c.path} className="font-mono text-xs">
                    {c.path}{' '}
                    <span className="text-slate-500">
                      {c.status}
                      {c.additions + c.deletions > 0 && (
                        <>
                          {' '}
                          <span className="text-emerald-700">+{c.additions}</span>{' '}
                          <span className="text-red-700">−{c.deletions}</span>
                        </>
                      )}
                    </span>
                  </li>
                ))}
                {changes.length > 8 && <li className="text-xs text-slate-500">and {changes.length - 8} more</li>}
              </ul>
            </dd>
          </>
        )}
        <dt className="text-slate-500">Blast radius</dt>
        <dd>
          {outcome.blastRadius ? (
            <div className="space-y-1">
              <BlastRadiusBadge level={outcome.blastRadius} />
              {outcome.blastRadiusReasons.length > 0 && (
                <ul className="list-disc pl-5 text-xs text-slate-600" aria-label="Blast radius reasons">
                  {outcome.blastRadiusReasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
              )}
            </div>
          ) : (
            <span className="text-slate-500">none (a read)</span>
          )}
        </dd>
        <dt className="text-slate-500">Secrets</dt>
        <dd>
          {outcome.secretFindings.length === 0 ? (
            <span className="text-slate-500">none found</span>
          ) : (
            <ul className="space-y-0.5" aria-label="Secret findings">
              {outcome.secretFindings.map((f, i) => (
                <li key={i} className="text-xs">
                  <Badge tone="red">{f.kind}</Badge>{' '}
                  <code>
                    {f.path}:{f.line}
                  </code>{' '}
                  <code className="text-slate-500">{f.redacted}</code>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="text-slate-500">Evaluated</dt>
        <dd className="text-slate-700">
          policy version {outcome.policyVersion}, at {new Date(facts.at).toLocaleString()}
        </dd>
      </dl>

      <div>
        <h3 className="mb-2 text-sm font-semibold text-slate-900">Rule by rule</h3>
        {outcome.rules.length === 0 ? (
          <p className="text-sm text-slate-500">
            The policy could not be evaluated, so the call is blocked for safety.
          </p>
        ) : (
          <ol className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" aria-label="Rule trace">
            {outcome.rules.map((r, i) => {
              const after = decidedAfter >= 0 && i > decidedAfter;
              return (
                <li
                  key={r.ruleId}
                  className={`flex items-start gap-3 px-3 py-2 text-sm ${
                    r.decisive ? 'bg-emerald-50' : after ? 'text-slate-400' : ''
                  }`}
                >
                  <span className="w-5 shrink-0 text-right text-xs tabular-nums text-slate-500">{i + 1}</span>
                  <span
                    className={`w-5 shrink-0 ${r.decisive ? 'text-emerald-600' : r.matched ? 'text-slate-500' : 'text-slate-400'}`}
                    aria-hidden="true"
                  >
                    {r.decisive ? '✔' : r.matched ? '○' : '✗'}
                  </span>
                  <div className="min-w-0 flex-1">
                    <span className={r.decisive ? 'font-semibold text-slate-900' : ''}>{r.ruleName}</span>{' '}
                    <span className="text-xs">
                      {r.decisive
                        ? '— decided'
                        : !r.enabled
                          ? r.matched
                            ? '— disabled (would have matched)'
                            : '— disabled'
                          : r.matched
                            ? '— matches too, but an earlier rule decided'
                            : ''}
                    </span>
                    {!r.matched && r.failed.length > 0 && (
                      <p className="text-xs text-slate-500">
                        didn’t hold:{' '}
                        {describeConditions(matchOf(r.ruleId), r.failed).map((phrase, j) => (
                          <span key={j} title={CONDITION_LABELS[r.failed[j] as keyof typeof CONDITION_LABELS]}>
                            {j > 0 && '; '}
                            {phrase}
                          </span>
                        ))}
                      </p>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </div>
    </section>
  );
}

/** A datetime-local value as an instant in the browser's zone; what does not parse goes as typed. */
function localDateTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
