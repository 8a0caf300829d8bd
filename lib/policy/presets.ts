// The preset rules the policy editor offers, and the policy a new room starts with.
//
// The first eleven presets are PRODUCT.md's "Defaults for a new room" table (the table's
// ADMIN-merge row is two rules: CI must not have failed or be running, then approval). First match
// wins, so the order is part of what the defaults mean. It follows the table, except where the
// table's own words need an earlier place — blocks come before the rules that ask for approval:
//   - "no autonomous merge" (a DEVELOPER's merge: block) comes before "sensitive paths" and "High
//     blast radius" (require approval): "a DEVELOPER's merge is blocked whatever it touches". After
//     them, a DEVELOPER merging a pull request that adds .github/workflows/ci.yml was held for
//     approval — and executed once approved — while a README-only one was blocked.
//   - "merges need passing CI" (an ADMIN's merge while CI fails or runs: block) comes before them
//     too, for the same reason: "CI must have passed" holds whatever the pull request touches, and
//     an approval must not be able to merge past failing CI.
//   - "merges by ADMIN" (require approval) stays after "sensitive paths" and "blast radius": all
//     three ask for approval, and for an ADMIN's merge of a sensitive or large change the more
//     specific rule names the reason on the reviewer's card.
// Every other pair keeps the table's order, and where two rules could both match a call the
// earlier one is the stricter or the more specific: read tools (reads only) → secret detection and
// freeze windows (blocks, for everyone, OWNER included) → protected branches (a DEVELOPER's push to
// a protected branch becomes a branch plus a pull request — before the approval rules, as the
// table orders it) → deleting a protected branch (block) → branch naming (block) → the merge blocks
// → the approval rules → "OWNER, everything else".
//
// Three more presets sit after "OWNER, everything else", because the table leaves open what
// happens to ordinary agent work:
//   - working branches: create/push/delete on branches matching the room's pattern → allow
//     (without it a DEVELOPER could not even push to aegis/x);
//   - pull requests: opening one is always allowed — it is how agent work reaches review;
//   - admin writes: an ADMIN's create/push/delete on a branch that is neither the default nor
//     protected → allow. An ADMIN push to the default or a protected branch is NOT rewritten (the
//     rewrite preset is DEVELOPER-only, as the table says) and not allowed either: it falls through
//     to the default effect and needs an approval from another reviewer.
// Everything still caught by an earlier rule (secrets, freeze, sensitive paths, blast radius)
// stays caught for every role, OWNER included.
//
// A room stores the default policy as its version 1 when it is created, so changing the order here
// changes new rooms only; existing rooms keep the policy version they have.
//
// Default effect: require_approval. Both it and block are safe — neither lets anything run
// without a person deciding — but block strands an agent on every action nobody anticipated,
// while require_approval routes it to the reviewers who can judge it. Evaluation errors still
// block (fail closed).
//
// CI (github rooms only): "merges by ADMIN: CI must have passed" blocks when the pull request's
// CI status is `failure` or `pending`. `none` (the repository reports no checks at all) is not
// blocked — there is nothing that could pass — and still needs the approval of a later rule;
// add "none" to the preset's ciStatus to require CI to exist. Git rooms have no CI status, so the
// rule never matches there.
//
// Known interplay, kept because the table orders it so: a DEVELOPER push to a protected branch is
// rewritten (rule 4) before the sensitive-path and blast-radius rules are reached. The gateway
// should evaluate the rewritten push (to the new branch) again, which then meets those rules.

import {
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  ruleSchema,
  type PolicyDocument,
  type Rule,
  type RuleInput,
} from './policy-schema';

export type PolicyPreset = {
  key: string;
  name: string;
  description: string;
  /** Whether the preset is part of the default policy of a new room. */
  inDefaultPolicy: boolean;
  rule: Rule;
};

type PresetDefinition = Omit<PolicyPreset, 'rule' | 'inDefaultPolicy'> & {
  inDefaultPolicy?: boolean;
  rule: Omit<RuleInput, 'id' | 'name' | 'preset'>;
};

const DEFINITIONS: readonly PresetDefinition[] = [
  {
    key: 'read-tools',
    name: 'Read tools',
    description: 'Listing branches and pull requests, reading files and waiting for approvals are allowed.',
    rule: { match: { tools: ['read'] }, effect: 'allow' },
  },
  {
    key: 'secret-detection',
    name: 'Secret detection',
    description:
      'Content that looks like a secret (private keys, cloud keys, tokens, hard-coded passwords) is blocked before it reaches the repository.',
    rule: {
      match: { secretsFound: true },
      effect: 'block',
      message:
        'Aegis blocked this call because the content looks like it contains a secret ({secrets}). Remove it, read the secret from the environment or a secret store instead, and try again.',
    },
  },
  {
    key: 'freeze-windows',
    name: 'Freeze windows',
    description: "Writes during one of the room's freeze windows are blocked.",
    rule: {
      match: { tools: ['write'], duringFreeze: true },
      effect: 'block',
      message:
        'Writes are frozen right now (freeze window "{freezeWindow}"). Nothing was changed; try again after the window ends.',
    },
  },
  {
    key: 'protected-branches',
    name: 'Protected branches',
    description:
      "A DEVELOPER's push to the default or a protected branch becomes a new branch plus a pull request; the agent gets the pull request's link.",
    rule: { match: { tools: ['push_files'], roles: ['DEVELOPER'], protectedTarget: true }, effect: 'rewrite' },
  },
  {
    key: 'protected-branch-deletion',
    name: 'Protected branches cannot be deleted',
    description: 'Deleting the default or a protected branch is blocked for everyone.',
    rule: {
      match: { tools: ['delete_branch'], protectedTarget: true },
      effect: 'block',
      message: '"{branch}" is the default or a protected branch and cannot be deleted through Aegis.',
    },
  },
  {
    key: 'branch-naming',
    name: 'Branch naming',
    description: "Branches created by agents must match the room's branch pattern (default aegis/**).",
    rule: {
      match: { branchNameNotMatching: '$room' },
      effect: 'block',
      message:
        'Branch "{newBranch}" was not created: branches created by agents must match the room\'s branch pattern "{branchPattern}". Choose a name that matches it and try again.',
    },
  },
  {
    key: 'no-autonomous-merge',
    name: 'No autonomous merge',
    description: 'An agent acting as DEVELOPER cannot merge pull requests.',
    rule: {
      match: { tools: ['merge_pull_request'], roles: ['DEVELOPER'] },
      effect: 'block',
      message:
        'Agents acting as DEVELOPER cannot merge pull requests. The pull request stays open for a reviewer (ADMIN or OWNER) to merge.',
    },
  },
  {
    key: 'admin-merge-ci',
    name: 'Merges need passing CI',
    description:
      "On github rooms, an ADMIN's merge is blocked while the pull request's CI is failing or still running.",
    rule: {
      match: { tools: ['merge_pull_request'], roles: ['ADMIN'], ciStatus: ['failure', 'pending'] },
      effect: 'block',
      message:
        'This pull request cannot be merged yet: its CI checks have not passed. Wait for CI to succeed (or fix the failures) and try again.',
    },
  },
  {
    key: 'sensitive-paths',
    name: 'Sensitive paths',
    description:
      'Changes to CI/CD, infrastructure, auth and security code, CODEOWNERS, dependency manifests or credential files need an approval.',
    rule: { match: { tools: ['write'], sensitivePaths: true }, effect: 'require_approval', approvals: 1 },
  },
  {
    key: 'blast-radius',
    name: 'High blast radius',
    description: 'Writes rated High or Critical need an approval.',
    rule: { match: { tools: ['write'], blastRadius: 'high' }, effect: 'require_approval', approvals: 1 },
  },
  {
    key: 'admin-merge',
    name: 'Merges by ADMIN',
    description: "An ADMIN's merge of a pull request needs an approval from another reviewer.",
    rule: { match: { tools: ['merge_pull_request'], roles: ['ADMIN'] }, effect: 'require_approval', approvals: 1 },
  },
  {
    key: 'owner-allow',
    name: 'OWNER, everything else',
    description: 'Whatever no rule above caught is allowed for an OWNER (and still audited).',
    rule: { match: { roles: ['OWNER'] }, effect: 'allow' },
  },
  {
    key: 'working-branches',
    name: 'Working branches',
    description: "Creating, pushing to and deleting branches that match the room's branch pattern is allowed.",
    rule: { match: { tools: ['create_branch', 'push_files', 'delete_branch'], branches: ['$room'] }, effect: 'allow' },
  },
  {
    key: 'pull-requests',
    name: 'Opening pull requests',
    description: 'Opening a pull request is allowed: it is how agent work reaches review.',
    rule: { match: { tools: ['create_pull_request'] }, effect: 'allow' },
  },
  {
    key: 'admin-writes',
    name: 'ADMIN writes to unprotected branches',
    description:
      'An ADMIN may create, push to and delete branches that are neither the default nor protected. Their pushes to protected branches fall through to the default (approval).',
    rule: {
      match: { tools: ['create_branch', 'push_files', 'delete_branch'], roles: ['ADMIN'], protectedTarget: false },
      effect: 'allow',
    },
  },
];

export const POLICY_PRESETS: readonly PolicyPreset[] = Object.freeze(
  DEFINITIONS.map((definition) =>
    Object.freeze({
      key: definition.key,
      name: definition.name,
      description: definition.description,
      inDefaultPolicy: definition.inDefaultPolicy ?? true,
      rule: ruleSchema.parse({
        id: definition.key,
        name: definition.name,
        preset: definition.key,
        ...definition.rule,
      }),
    }),
  ),
);

export const PRESET_KEYS: readonly string[] = POLICY_PRESETS.map((preset) => preset.key);

/** A fresh copy of a preset's rule (safe to edit), or undefined for an unknown key. */
export function presetRule(key: string): Rule | undefined {
  const preset = POLICY_PRESETS.find((p) => p.key === key);
  return preset ? structuredClone(preset.rule) : undefined;
}

/** The policy a new room starts with: every default preset, in order; unmatched calls need approval. */
export function defaultPolicy(): PolicyDocument {
  return {
    defaultEffect: 'require_approval',
    rules: POLICY_PRESETS.filter((p) => p.inDefaultPolicy).map((p) => structuredClone(p.rule)),
    freezeWindows: [],
    blastRadius: {
      medium: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.medium },
      high: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.high },
      critical: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.critical },
    },
  };
}
