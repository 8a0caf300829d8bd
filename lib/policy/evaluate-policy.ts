// Decides what happens to one tool call: the room's policy rules are tried in order and the first
// enabled rule whose match holds decides; when none does, the policy's default effect applies.
// The gateway calls this for every call and the policy simulator calls it with the same inputs,
// so both always agree.
//
// Pure and deterministic: the time of the call comes in `call.now`, nothing reads the clock, the
// network, the database or the file system. Synchronous (the secret scanner is synchronous).
//
// Fails closed: whatever goes wrong while evaluating — a policy that does not validate, a bad
// glob, an unknown time zone, a scanner error, malformed facts — the decision is `block` by
// "evaluation error". It never throws.

import { blastRadiusAtLeast, isProtectedTarget, rateBlastRadius, type BlastRadius } from './blast-radius';
import { activeFreezeWindow } from './freeze-windows';
import { matchBranch, matchPath } from './patterns';
import {
  BLAST_RADIUS_LABELS,
  CHANGE_STATUSES,
  CI_STATUSES,
  isReadTool,
  policyDocumentSchema,
  ROLES,
  ROOM_BRANCH_PATTERN,
  TOOL_GROUPS,
  TOOL_NAMES,
  type CallFacts,
  type Effect,
  type FreezeWindow,
  type Match,
  type PolicyDocument,
  type RoomFacts,
  type Rule,
  type ToolName,
} from './policy-schema';
import { isSensitivePath } from './sensitive-paths';
import { redactSecretsInString, scanForSecrets, type Finding } from './secret-scan';

export type Decision = {
  effect: Effect;
  /** The rule that decided, or null for the policy's default effect (and evaluation errors). */
  ruleId: string | null;
  /** The deciding rule's name, "default" or "evaluation error". */
  ruleName: string;
  /** What the agent is told (blocks always have one). */
  message?: string;
  /** Approvals needed, for require_approval. */
  approvals?: number;
  /** The write's blast radius; null for reads. */
  blastRadius: BlastRadius | null;
  /** Secrets found in the pushed content (redacted). */
  secretFindings: Finding[];
  /** The name of the freeze window the call falls in, if any. */
  freeze?: string;
  /** Why evaluation failed, for the audit log and operators — not for the agent. */
  evaluationError?: string;
};

export const DEFAULT_RULE_NAME = 'default';
export const EVALUATION_ERROR_RULE_NAME = 'evaluation error';
export const EVALUATION_ERROR_MESSAGE =
  "Aegis could not evaluate the policy for this call (blocked for safety). Ask a room admin to check the room's policy.";

/** The facts every rule is checked against, computed once per call. */
type Facts = {
  call: CallFacts;
  room: RoomFacts;
  findings: Finding[];
  blastRadius: BlastRadius | null;
  freezeWindow: FreezeWindow | null;
};

// ---------------------------------------------------------------------------------------------
// Validation (policies are validated once per object; facts on every call, cheaply)

const validatedPolicies = new WeakMap<object, PolicyDocument>();

/**
 * The policy as the schema reads it (defaults applied). Policies are treated as immutable: a
 * policy object is validated the first time it is seen and the result is remembered.
 */
function validatedPolicy(policy: PolicyDocument): PolicyDocument {
  if (typeof policy !== 'object' || policy === null) throw new Error('The policy is not an object');
  const cached = validatedPolicies.get(policy);
  if (cached) return cached;
  const result = policyDocumentSchema.safeParse(policy);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    throw new Error(`The policy is invalid (${where}${first?.message ?? 'unknown problem'})`);
  }
  validatedPolicies.set(policy, result.data);
  return result.data;
}

function fail(message: string): never {
  throw new Error(message);
}

function assertFacts(call: CallFacts, room: RoomFacts): void {
  if (typeof call !== 'object' || call === null) fail('The call facts are missing');
  if (!(TOOL_NAMES as readonly string[]).includes(call.tool)) fail(`Unknown tool "${String(call.tool)}"`);
  if (!(ROLES as readonly string[]).includes(call.role)) fail(`Unknown role "${String(call.role)}"`);
  if (!(call.now instanceof Date) || Number.isNaN(call.now.getTime())) fail('The time of the call is not a valid date');
  for (const key of ['branch', 'baseBranch', 'newBranch'] as const) {
    if (call[key] !== undefined && (typeof call[key] !== 'string' || call[key] === ''))
      fail(`"${key}" must be a branch name`);
  }
  if (call.ciStatus !== undefined && !(CI_STATUSES as readonly string[]).includes(call.ciStatus)) {
    fail(`Unknown CI status "${String(call.ciStatus)}"`);
  }
  if (call.changes !== undefined) {
    if (!Array.isArray(call.changes)) fail('"changes" must be a list');
    for (const change of call.changes) {
      if (
        typeof change?.path !== 'string' ||
        change.path === '' ||
        !(CHANGE_STATUSES as readonly string[]).includes(change.status) ||
        !Number.isFinite(change.additions) ||
        !Number.isFinite(change.deletions) ||
        change.additions < 0 ||
        change.deletions < 0
      ) {
        fail('A changed file is malformed');
      }
    }
  }
  if (call.contents !== undefined) {
    if (!Array.isArray(call.contents)) fail('"contents" must be a list');
    for (const file of call.contents) {
      if (typeof file?.path !== 'string' || typeof file.content !== 'string') fail('A pushed file is malformed');
    }
  }
  if (typeof room !== 'object' || room === null) fail('The room facts are missing');
  if (typeof room.defaultBranch !== 'string' || room.defaultBranch === '') fail('The room has no default branch');
  if (!Array.isArray(room.protectedBranches) || room.protectedBranches.some((b) => typeof b !== 'string' || b === '')) {
    fail("The room's protected branches are malformed");
  }
  if (typeof room.branchPattern !== 'string' || room.branchPattern === '') fail('The room has no branch pattern');
}

// ---------------------------------------------------------------------------------------------
// Conditions

const resolveBranchPattern = (pattern: string, room: RoomFacts) =>
  pattern === ROOM_BRANCH_PATTERN ? room.branchPattern : pattern;

const anyBranchMatches = (patterns: readonly string[], branch: string | undefined, room: RoomFacts) =>
  branch !== undefined && patterns.some((pattern) => matchBranch(resolveBranchPattern(pattern, room), branch));

function expandTools(tools: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const tool of tools) {
    if (tool === 'read' || tool === 'write') TOOL_GROUPS[tool].forEach((name) => names.add(name));
    else names.add(tool);
  }
  return names;
}

type ConditionKey = keyof Match;

/** Each condition of a match, checked only when the rule gives it. */
const CONDITIONS: { [K in ConditionKey]-?: (expected: NonNullable<Match[K]>, facts: Facts) => boolean } = {
  tools: (tools, { call }) => expandTools(tools).has(call.tool),
  roles: (roles, { call }) => roles.includes(call.role),
  branches: (patterns, { call, room }) => anyBranchMatches(patterns, call.branch, room),
  baseBranches: (patterns, { call, room }) => anyBranchMatches(patterns, call.baseBranch, room),
  protectedTarget: (expected, { call, room }) =>
    call.branch !== undefined && isProtectedTarget(call.branch, room) === expected,
  branchNameNotMatching: (pattern, { call, room }) =>
    call.newBranch !== undefined && !matchBranch(resolveBranchPattern(pattern, room), call.newBranch),
  paths: (paths, { call }) => {
    const changed = (call.changes ?? []).map((change) => change.path);
    if (changed.length === 0) return false;
    const matchesOne = (patterns: readonly string[], path: string) => patterns.some((p) => matchPath(p, path));
    if (paths.any && !changed.some((path) => matchesOne(paths.any!, path))) return false;
    if (paths.all && !changed.every((path) => matchesOne(paths.all!, path))) return false;
    return true;
  },
  sensitivePaths: (expected, { call }) => {
    const changes = call.changes ?? [];
    return changes.length > 0 && changes.some((change) => isSensitivePath(change.path)) === expected;
  },
  minFiles: (min, { call }) => (call.changes ?? []).length >= min,
  minLines: (min, { call }) =>
    (call.changes ?? []).reduce((sum, change) => sum + change.additions + change.deletions, 0) >= min,
  blastRadius: (min, { blastRadius }) => blastRadius !== null && blastRadiusAtLeast(blastRadius.level, min),
  duringFreeze: (expected, { freezeWindow }) => (freezeWindow !== null) === expected,
  secretsFound: (expected, { findings }) => findings.length > 0 === expected,
  ciStatus: (statuses, { call }) => call.ciStatus !== undefined && statuses.includes(call.ciStatus),
  reviewApproved: (expected, { call }) => call.reviewApproved !== undefined && call.reviewApproved === expected,
};

const CONDITION_ORDER = Object.keys(CONDITIONS) as ConditionKey[];

/** The names of the conditions of `match` that do not hold (all of them when `all` is set). */
function failedConditions(match: Match, facts: Facts, all: boolean): ConditionKey[] {
  const failed: ConditionKey[] = [];
  for (const key of CONDITION_ORDER) {
    const expected = match[key];
    if (expected === undefined) continue;
    const check = CONDITIONS[key] as (expected: unknown, facts: Facts) => boolean;
    if (!check(expected, facts)) {
      failed.push(key);
      if (!all) break;
    }
  }
  return failed;
}

// ---------------------------------------------------------------------------------------------
// Messages

function describeFindings(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 3).map((f) => `${f.kind} in ${f.path} line ${f.line}`);
  return findings.length > 3 ? `${shown.join('; ')} and ${findings.length - 3} more` : shown.join('; ');
}

/** Fills the placeholders a rule's message may use; unknown ones are left as written. */
function renderRuleMessage(template: string, rule: Pick<Rule, 'name'>, facts: Facts): string {
  const values: Record<string, string> = {
    rule: rule.name,
    branch: facts.call.branch ?? '',
    baseBranch: facts.call.baseBranch ?? '',
    newBranch: facts.call.newBranch ?? '',
    branchPattern: facts.room.branchPattern,
    freezeWindow: facts.freezeWindow?.name ?? '',
    secrets: describeFindings(facts.findings),
    blastRadius: facts.blastRadius ? BLAST_RADIUS_LABELS[facts.blastRadius.level] : '',
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

function defaultRuleMessage(rule: Rule): string | undefined {
  switch (rule.effect) {
    case 'block':
      return `Blocked by the room's policy (rule "{rule}").`;
    case 'require_approval':
      return `This call needs ${rule.approvals === 1 ? 'an approval' : `${rule.approvals} approvals`} from the room's reviewers (rule "{rule}").`;
    case 'rewrite':
      return `Pushes to {branch} go to a new branch and a pull request instead (rule "{rule}").`;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function computeFacts(policy: PolicyDocument, call: CallFacts, room: RoomFacts): Facts {
  const findings = call.contents && call.contents.length > 0 ? scanForSecrets(call.contents) : [];
  const blastRadius = isReadTool(call.tool) ? null : rateBlastRadius(call, room, policy.blastRadius);
  const freezeWindow = activeFreezeWindow(policy.freezeWindows, call.now);
  return { call, room, findings, blastRadius, freezeWindow };
}

function decide(rule: Rule, facts: Facts): Decision {
  const base = {
    ruleId: rule.id,
    ruleName: rule.name,
    blastRadius: facts.blastRadius,
    secretFindings: facts.findings,
    ...(facts.freezeWindow ? { freeze: facts.freezeWindow.name } : {}),
  };
  // Only a push can become "branch + pull request"; anything else a rewrite rule catches is
  // blocked rather than let through.
  if (rule.effect === 'rewrite' && facts.call.tool !== 'push_files') {
    return {
      ...base,
      effect: 'block',
      message: `Rule "${rule.name}" asks to rewrite this call, but only push_files can be rewritten into a branch and a pull request, so it is blocked.`,
    };
  }
  const template = rule.message ?? defaultRuleMessage(rule);
  return {
    ...base,
    effect: rule.effect,
    ...(template ? { message: renderRuleMessage(template, rule, facts) } : {}),
    ...(rule.effect === 'require_approval' ? { approvals: rule.approvals ?? 1 } : {}),
  };
}

function decideByDefault(policy: PolicyDocument, facts: Facts): Decision {
  const effect = policy.defaultEffect;
  return {
    effect,
    ruleId: null,
    ruleName: DEFAULT_RULE_NAME,
    ...(effect === 'block'
      ? { message: "No policy rule allows this call, so it is blocked (the room's default)." }
      : effect === 'require_approval'
        ? { message: "No policy rule covers this call, so it needs an approval (the room's default).", approvals: 1 }
        : {}),
    blastRadius: facts.blastRadius,
    secretFindings: facts.findings,
    ...(facts.freezeWindow ? { freeze: facts.freezeWindow.name } : {}),
  };
}

function evaluationError(error: unknown): Decision {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    effect: 'block',
    ruleId: null,
    ruleName: EVALUATION_ERROR_RULE_NAME,
    message: EVALUATION_ERROR_MESSAGE,
    blastRadius: null,
    secretFindings: [],
    evaluationError: safeDetail(detail),
  };
}

function safeDetail(detail: string): string {
  const short = detail.length > 300 ? `${detail.slice(0, 300)}…` : detail;
  try {
    return redactSecretsInString(short);
  } catch {
    return 'unexpected error';
  }
}

export type RuleTrace = {
  ruleId: string;
  ruleName: string;
  enabled: boolean;
  /** Every condition holds (for an enabled rule: it would decide if no earlier rule did). */
  matched: boolean;
  /** The conditions that do not hold, by match field name. */
  failed: ConditionKey[];
  /** This rule made the decision. */
  decisive: boolean;
};

export type PolicyExplanation = { decision: Decision; rules: RuleTrace[] };

function run(policy: PolicyDocument, call: CallFacts, room: RoomFacts, explain: boolean): PolicyExplanation {
  try {
    const doc = validatedPolicy(policy);
    assertFacts(call, room);
    const facts = computeFacts(doc, call, room);
    let decision: Decision | null = null;
    const rules: RuleTrace[] = [];
    for (const rule of doc.rules) {
      if (!explain) {
        if (rule.enabled && failedConditions(rule.match, facts, false).length === 0) {
          decision = decide(rule, facts);
          break;
        }
        continue;
      }
      // explaining: check every rule, with every condition that fails
      const failed = failedConditions(rule.match, facts, true);
      const decisive = decision === null && rule.enabled && failed.length === 0;
      if (decisive) decision = decide(rule, facts);
      rules.push({
        ruleId: rule.id,
        ruleName: rule.name,
        enabled: rule.enabled,
        matched: failed.length === 0,
        failed,
        decisive,
      });
    }
    return { decision: decision ?? decideByDefault(doc, facts), rules };
  } catch (error) {
    return { decision: evaluationError(error), rules: [] };
  }
}

/**
 * The decision for one call under a room's policy. First enabled matching rule wins; otherwise
 * the default effect. Never throws: any failure is a `block` by "evaluation error".
 */
export function evaluatePolicy(policy: PolicyDocument, call: CallFacts, room: RoomFacts): Decision {
  return run(policy, call, room, false).decision;
}

/**
 * For the simulator: the decision exactly as evaluatePolicy makes it, plus, for every rule,
 * whether it matched and which of its conditions do not hold. Never throws; when evaluation
 * fails, `rules` is empty and the decision is the fail-closed block.
 */
export function explainPolicy(policy: PolicyDocument, call: CallFacts, room: RoomFacts): PolicyExplanation {
  return run(policy, call, room, true);
}

/** The tools a `match.tools` list covers, groups expanded. */
export function toolsCoveredBy(tools: readonly string[]): ToolName[] {
  const covered = expandTools(tools);
  return TOOL_NAMES.filter((tool) => covered.has(tool));
}
