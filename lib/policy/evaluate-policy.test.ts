import { describe, expect, it } from 'vitest';

import { EVALUATION_ERROR_MESSAGE, evaluatePolicy, explainPolicy, toolsCoveredBy } from './evaluate-policy';
import {
  policyDocumentSchema,
  type CallFacts,
  type ChangedFile,
  type PolicyDocument,
  type PolicyDocumentInput,
  type RoomFacts,
  type RuleInput,
} from './policy-schema';

const room: RoomFacts = { defaultBranch: 'main', protectedBranches: ['release/*'], branchPattern: 'aegis/**' };
const NOW = new Date('2025-06-04T10:00:00Z'); // a Wednesday

const change = (
  path: string,
  additions = 1,
  deletions = 0,
  status: ChangedFile['status'] = 'modified',
): ChangedFile => ({
  path,
  status,
  additions,
  deletions,
});

const push = (extra: Partial<CallFacts> = {}): CallFacts => ({
  tool: 'push_files',
  role: 'DEVELOPER',
  branch: 'aegis/x',
  changes: [change('src/a.ts')],
  now: NOW,
  ...extra,
});

let counter = 0;
const rule = (match: RuleInput['match'], extra: Partial<RuleInput> = {}): RuleInput => ({
  id: `r${++counter}`,
  name: `rule ${counter}`,
  match,
  effect: 'block',
  ...extra,
});

const policy = (rules: RuleInput[], extra: Partial<PolicyDocumentInput> = {}): PolicyDocument =>
  policyDocumentSchema.parse({ defaultEffect: 'allow', rules, ...extra });

/** Does a single rule with `match` catch `call`? */
const matches = (match: RuleInput['match'], call: CallFacts, extra: Partial<PolicyDocumentInput> = {}) =>
  evaluatePolicy(policy([rule(match, { id: 'probe' })], extra), call, room).ruleId === 'probe';

describe('matchers', () => {
  it('tools: names and the read/write groups', () => {
    expect(matches({ tools: ['push_files'] }, push())).toBe(true);
    expect(matches({ tools: ['create_branch'] }, push())).toBe(false);
    expect(matches({ tools: ['write'] }, push())).toBe(true);
    expect(matches({ tools: ['read'] }, push())).toBe(false);
    for (const tool of ['list_branches', 'get_file_contents', 'list_pull_requests', 'wait_for_approval'] as const) {
      expect(matches({ tools: ['read'] }, { tool, role: 'DEVELOPER', now: NOW })).toBe(true);
    }
    expect(toolsCoveredBy(['write'])).toEqual([
      'create_branch',
      'push_files',
      'create_pull_request',
      'merge_pull_request',
      'delete_branch',
      'update_pull_request',
    ]);
  });

  it('reviewApproved: holds only where the room reports GitHub reviews', () => {
    const merge = (reviewApproved?: boolean) => ({
      tool: 'merge_pull_request' as const,
      role: 'ADMIN' as const,
      now: NOW,
      ...(reviewApproved === undefined ? {} : { reviewApproved }),
    });
    expect(matches({ reviewApproved: false }, merge(false))).toBe(true);
    expect(matches({ reviewApproved: false }, merge(true))).toBe(false);
    expect(matches({ reviewApproved: true }, merge(true))).toBe(true);
    // A git room reports no GitHub review: neither form of the condition holds there.
    expect(matches({ reviewApproved: false }, merge())).toBe(false);
  });

  it('roles', () => {
    expect(matches({ roles: ['DEVELOPER'] }, push())).toBe(true);
    expect(matches({ roles: ['ADMIN', 'OWNER'] }, push())).toBe(false);
    expect(matches({ roles: ['ADMIN', 'OWNER'] }, push({ role: 'OWNER' }))).toBe(true);
  });

  it('branches and baseBranches, with $room for the room pattern', () => {
    expect(matches({ branches: ['aegis/**'] }, push({ branch: 'aegis/fix/login' }))).toBe(true);
    expect(matches({ branches: ['$room'] }, push({ branch: 'aegis/fix/login' }))).toBe(true);
    expect(matches({ branches: ['$room'] }, push({ branch: 'feature/x' }))).toBe(false);
    expect(matches({ branches: ['release/*', 'main'] }, push({ branch: 'main' }))).toBe(true);
    expect(matches({ branches: ['*'] }, { tool: 'list_branches', role: 'DEVELOPER', now: NOW })).toBe(false);
    const pr: CallFacts = {
      tool: 'create_pull_request',
      role: 'DEVELOPER',
      branch: 'aegis/x',
      baseBranch: 'main',
      now: NOW,
    };
    expect(matches({ baseBranches: ['main'] }, pr)).toBe(true);
    expect(matches({ baseBranches: ['release/*'] }, pr)).toBe(false);
    expect(matches({ baseBranches: ['main'] }, push())).toBe(false);
  });

  it('protectedTarget: the default branch or a protected pattern', () => {
    expect(matches({ protectedTarget: true }, push({ branch: 'main' }))).toBe(true);
    expect(matches({ protectedTarget: true }, push({ branch: 'release/1.0' }))).toBe(true);
    expect(matches({ protectedTarget: true }, push({ branch: 'aegis/x' }))).toBe(false);
    expect(matches({ protectedTarget: false }, push({ branch: 'aegis/x' }))).toBe(true);
    expect(matches({ protectedTarget: false }, push({ branch: 'main' }))).toBe(false);
    // a call without a target branch satisfies neither
    expect(matches({ protectedTarget: false }, { tool: 'list_pull_requests', role: 'DEVELOPER', now: NOW })).toBe(
      false,
    );
  });

  it('branchNameNotMatching: only for new branches', () => {
    const create = (name: string): CallFacts => ({
      tool: 'create_branch',
      role: 'DEVELOPER',
      branch: name,
      newBranch: name,
      now: NOW,
    });
    expect(matches({ branchNameNotMatching: '$room' }, create('feature/x'))).toBe(true);
    expect(matches({ branchNameNotMatching: '$room' }, create('aegis/x'))).toBe(false);
    expect(matches({ branchNameNotMatching: '$room' }, create('aegis'))).toBe(true);
    expect(matches({ branchNameNotMatching: 'bot/*' }, create('bot/a'))).toBe(false);
    expect(matches({ branchNameNotMatching: 'bot/*' }, create('bot/a/b'))).toBe(true);
    // a push to a missing branch creates it
    expect(matches({ branchNameNotMatching: '$room' }, push({ branch: 'wip', newBranch: 'wip' }))).toBe(true);
    // an existing branch is not checked
    expect(matches({ branchNameNotMatching: '$room' }, push({ branch: 'feature/old' }))).toBe(false);
  });

  it('paths: any and all', () => {
    const docs = push({ changes: [change('docs/a.md'), change('README.md')] });
    const mixed = push({ changes: [change('docs/a.md'), change('src/a.ts')] });
    expect(matches({ paths: { any: ['src/**'] } }, mixed)).toBe(true);
    expect(matches({ paths: { any: ['src/**'] } }, docs)).toBe(false);
    expect(matches({ paths: { all: ['docs/**', '*.md'] } }, docs)).toBe(true);
    expect(matches({ paths: { all: ['docs/**', '*.md'] } }, mixed)).toBe(false);
    expect(matches({ paths: { any: ['docs/**'], all: ['**/*.md'] } }, docs)).toBe(true);
    expect(matches({ paths: { any: ['**/*.yml'] } }, push({ changes: [change('.github/workflows/ci.yml')] }))).toBe(
      true,
    );
    // no changes: neither any nor all holds
    expect(matches({ paths: { all: ['**'] } }, push({ changes: [] }))).toBe(false);
    expect(
      matches(
        { paths: { any: ['**'] } },
        { tool: 'create_branch', role: 'DEVELOPER', branch: 'aegis/y', newBranch: 'aegis/y', now: NOW },
      ),
    ).toBe(false);
  });

  it('sensitivePaths', () => {
    expect(matches({ sensitivePaths: true }, push({ changes: [change('src/a.ts'), change('Dockerfile')] }))).toBe(true);
    expect(matches({ sensitivePaths: true }, push())).toBe(false);
    expect(matches({ sensitivePaths: false }, push())).toBe(true);
    expect(matches({ sensitivePaths: false }, push({ changes: [change('go.mod')] }))).toBe(false);
    expect(matches({ sensitivePaths: false }, push({ changes: [] }))).toBe(false);
  });

  it('minFiles and minLines', () => {
    const three = push({ changes: [change('a', 10, 5), change('b', 20), change('c', 0, 5)] });
    expect(matches({ minFiles: 3 }, three)).toBe(true);
    expect(matches({ minFiles: 4 }, three)).toBe(false);
    expect(matches({ minLines: 40 }, three)).toBe(true);
    expect(matches({ minLines: 41 }, three)).toBe(false);
    expect(matches({ minFiles: 2, minLines: 40 }, three)).toBe(true);
    expect(matches({ minFiles: 1 }, { tool: 'list_branches', role: 'OWNER', now: NOW })).toBe(false);
  });

  it('blastRadius: at least the given level; reads have none', () => {
    const big = push({ changes: Array.from({ length: 25 }, (_, i) => change(`src/${i}.ts`)) });
    expect(matches({ blastRadius: 'high' }, big)).toBe(true);
    expect(matches({ blastRadius: 'critical' }, big)).toBe(false);
    expect(matches({ blastRadius: 'low' }, push())).toBe(true);
    expect(matches({ blastRadius: 'low' }, { tool: 'get_file_contents', role: 'DEVELOPER', now: NOW })).toBe(false);
    // the policy's thresholds apply
    expect(
      matches({ blastRadius: 'high' }, push(), {
        blastRadius: { medium: { files: 1, lines: 1 }, high: { files: 1, lines: 1 } },
      }),
    ).toBe(true);
  });

  it('duringFreeze', () => {
    const freezeWindows = [
      { name: 'midweek', timeZone: 'Europe/Berlin', days: ['wed' as const], startTime: '09:00', endTime: '17:00' },
    ];
    expect(matches({ duringFreeze: true }, push(), { freezeWindows })).toBe(true); // 12:00 in Berlin
    expect(matches({ duringFreeze: true }, push({ now: new Date('2025-06-04T16:00:00Z') }), { freezeWindows })).toBe(
      false,
    );
    expect(matches({ duringFreeze: false }, push({ now: new Date('2025-06-04T16:00:00Z') }), { freezeWindows })).toBe(
      true,
    );
    expect(matches({ duringFreeze: true }, push())).toBe(false);
    const decision = evaluatePolicy(policy([], { freezeWindows }), push(), room);
    expect(decision.freeze).toBe('midweek');
  });

  it('secretsFound', () => {
    const key = 'np' + 'm_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const withSecret = push({ contents: [{ path: '.npmrc', content: `//registry.npmjs.org/:_authToken=${key}\n` }] });
    expect(matches({ secretsFound: true }, withSecret)).toBe(true);
    expect(
      matches({ secretsFound: true }, push({ contents: [{ path: 'a.ts', content: 'export const a = 1;' }] })),
    ).toBe(false);
    expect(matches({ secretsFound: false }, push())).toBe(true);
    const decision = evaluatePolicy(policy([]), withSecret, room);
    expect(decision.secretFindings).toEqual([expect.objectContaining({ path: '.npmrc', line: 1, kind: 'npm token' })]);
    expect(JSON.stringify(decision)).not.toContain(key);
  });

  it('ciStatus: only when the call has one', () => {
    const merge = (ciStatus?: CallFacts['ciStatus']): CallFacts => ({
      tool: 'merge_pull_request',
      role: 'ADMIN',
      branch: 'main',
      baseBranch: 'main',
      now: NOW,
      ...(ciStatus ? { ciStatus } : {}),
    });
    expect(matches({ ciStatus: ['failure', 'pending'] }, merge('failure'))).toBe(true);
    expect(matches({ ciStatus: ['failure', 'pending'] }, merge('success'))).toBe(false);
    expect(matches({ ciStatus: ['none'] }, merge('none'))).toBe(true);
    expect(matches({ ciStatus: ['failure', 'pending', 'none'] }, merge())).toBe(false);
  });

  it('every given condition must hold', () => {
    const match = { tools: ['push_files' as const], roles: ['DEVELOPER' as const], protectedTarget: true };
    expect(matches(match, push({ branch: 'main' }))).toBe(true);
    expect(matches(match, push({ branch: 'main', role: 'ADMIN' }))).toBe(false);
    expect(matches(match, push({ branch: 'aegis/x' }))).toBe(false);
    // an empty match holds for everything
    expect(matches({}, { tool: 'list_branches', role: 'OWNER', now: NOW })).toBe(true);
  });
});

describe('rule order, enabled flag and the default effect', () => {
  it('the first enabled matching rule wins', () => {
    const doc = policy([
      rule({ tools: ['read'] }, { id: 'reads', effect: 'allow' }),
      rule({ roles: ['DEVELOPER'] }, { id: 'dev', effect: 'require_approval', approvals: 2 }),
      rule({ tools: ['push_files'] }, { id: 'push', effect: 'block' }),
    ]);
    expect(evaluatePolicy(doc, push(), room)).toMatchObject({
      effect: 'require_approval',
      ruleId: 'dev',
      approvals: 2,
    });
    expect(evaluatePolicy(doc, push({ role: 'ADMIN' }), room)).toMatchObject({ effect: 'block', ruleId: 'push' });
    expect(evaluatePolicy(doc, { tool: 'list_branches', role: 'DEVELOPER', now: NOW }, room)).toMatchObject({
      effect: 'allow',
      ruleId: 'reads',
      blastRadius: null,
    });
  });

  it('skips disabled rules', () => {
    const doc = policy([
      rule({ tools: ['push_files'] }, { id: 'off', enabled: false, effect: 'block' }),
      rule({ tools: ['push_files'] }, { id: 'on', effect: 'require_approval' }),
    ]);
    expect(evaluatePolicy(doc, push(), room)).toMatchObject({ ruleId: 'on', effect: 'require_approval', approvals: 1 });
  });

  it('falls back to the default effect, named "default"', () => {
    for (const defaultEffect of ['allow', 'require_approval', 'block'] as const) {
      const decision = evaluatePolicy(policy([rule({ roles: ['OWNER'] })], { defaultEffect }), push(), room);
      expect(decision).toMatchObject({ effect: defaultEffect, ruleId: null, ruleName: 'default' });
      if (defaultEffect === 'block') expect(decision.message).toMatch(/No policy rule allows this call/);
      if (defaultEffect === 'require_approval') expect(decision.approvals).toBe(1);
    }
  });

  it('names the deciding rule and carries its message with placeholders filled', () => {
    const doc = policy([
      rule(
        { tools: ['create_branch'], branchNameNotMatching: '$room' },
        { id: 'naming', name: 'Branch naming', message: 'Use {branchPattern}, not {newBranch} ({rule}; {unknown})' },
      ),
    ]);
    const decision = evaluatePolicy(
      doc,
      { tool: 'create_branch', role: 'DEVELOPER', branch: 'x', newBranch: 'x', now: NOW },
      room,
    );
    expect(decision).toMatchObject({
      effect: 'block',
      ruleId: 'naming',
      ruleName: 'Branch naming',
      message: 'Use aegis/**, not x (Branch naming; {unknown})',
    });
  });

  it('gives blocks and approvals a message even without one written', () => {
    const doc = policy([rule({ tools: ['push_files'] }, { id: 'b', name: 'No pushes' })]);
    expect(evaluatePolicy(doc, push(), room).message).toBe('Blocked by the room\'s policy (rule "No pushes").');
  });

  it('blocks a rewrite rule that catches anything but a push', () => {
    const doc = policy([rule({ protectedTarget: true }, { id: 'rw', name: 'Rewrite', effect: 'rewrite' })]);
    expect(evaluatePolicy(doc, push({ branch: 'main' }), room)).toMatchObject({ effect: 'rewrite', ruleId: 'rw' });
    const del = evaluatePolicy(doc, { tool: 'delete_branch', role: 'DEVELOPER', branch: 'main', now: NOW }, room);
    expect(del).toMatchObject({ effect: 'block', ruleId: 'rw' });
    expect(del.message).toMatch(/only push_files can be rewritten/);
  });

  it('rates the blast radius of writes only', () => {
    const doc = policy([]);
    expect(evaluatePolicy(doc, push({ branch: 'main' }), room).blastRadius).toEqual({
      level: 'medium',
      reasons: ['targets protected branch main'],
    });
    expect(
      evaluatePolicy(doc, { tool: 'get_file_contents', role: 'DEVELOPER', branch: 'main', now: NOW }, room).blastRadius,
    ).toBeNull();
  });

  it('is deterministic: the same inputs give the same decision', () => {
    const doc = policy([rule({ minLines: 5 }, { effect: 'require_approval' })]);
    const call = push({ changes: [change('a.ts', 3, 3)] });
    expect(evaluatePolicy(doc, call, room)).toEqual(evaluatePolicy(doc, call, room));
  });
});

describe('fail closed', () => {
  const expectFailClosed = (decision: ReturnType<typeof evaluatePolicy>) => {
    expect(decision).toMatchObject({
      effect: 'block',
      ruleId: null,
      ruleName: 'evaluation error',
      message: EVALUATION_ERROR_MESSAGE,
      blastRadius: null,
      secretFindings: [],
    });
    expect(decision.message).toMatch(/could not evaluate the policy .*\(blocked for safety\)/);
    expect(decision.evaluationError).toBeTruthy();
  };

  it('blocks on a policy that does not validate (bad time zone, bad pattern, unknown key)', () => {
    const base = policy([rule({ tools: ['push_files'] }, { effect: 'allow' })]);
    const badZone = {
      ...base,
      freezeWindows: [{ name: 'x', timeZone: 'Mars/Olympus', days: ['mon'], startTime: '01:00', endTime: '02:00' }],
    };
    expectFailClosed(evaluatePolicy(badZone as PolicyDocument, push(), room));
    const badPattern = { ...base, rules: [{ ...base.rules[0]!, match: { branches: [''] } }] };
    expectFailClosed(evaluatePolicy(badPattern as PolicyDocument, push(), room));
    const unknownKey = { ...base, rules: [{ ...base.rules[0]!, match: { brnaches: ['main'] } }] };
    const decision = evaluatePolicy(unknownKey as unknown as PolicyDocument, push(), room);
    expectFailClosed(decision);
    expect(decision.evaluationError).toMatch(/rules\.0\.match/);
  });

  it('blocks on malformed facts', () => {
    const doc = policy([rule({}, { effect: 'allow' })]);
    expectFailClosed(evaluatePolicy(doc, push({ now: new Date('not a date') }), room));
    expectFailClosed(evaluatePolicy(doc, push({ role: 'SUPERUSER' as 'OWNER' }), room));
    expectFailClosed(evaluatePolicy(doc, push({ tool: 'force_push' as 'push_files' }), room));
    expectFailClosed(
      evaluatePolicy(
        doc,
        push({ changes: [{ path: 'a', status: 'renamed' as 'added', additions: 1, deletions: 0 }] }),
        room,
      ),
    );
    expectFailClosed(evaluatePolicy(doc, push({ contents: [{ path: 'a', content: 42 as unknown as string }] }), room));
    expectFailClosed(evaluatePolicy(doc, push(), { ...room, protectedBranches: [''] }));
    expectFailClosed(evaluatePolicy(doc, push(), undefined as unknown as RoomFacts));
    expectFailClosed(evaluatePolicy(null as unknown as PolicyDocument, push(), room));
    expectFailClosed(evaluatePolicy(doc, null as unknown as CallFacts, room));
  });

  it('blocks on a room whose protected branch pattern cannot be used', () => {
    const doc = policy([rule({ protectedTarget: true }, { effect: 'allow' })]);
    expectFailClosed(evaluatePolicy(doc, push(), { ...room, protectedBranches: [42 as unknown as string] }));
  });

  it('blocks when a freeze window slipped past validation and its zone is unknown', () => {
    const doc = policy([]);
    const tampered = {
      ...doc,
      freezeWindows: [{ name: 'x', timeZone: 'Nowhere/City', start: '2025-01-01T00:00', end: '2025-01-02T00:00' }],
    };
    expectFailClosed(evaluatePolicy(tampered as PolicyDocument, push(), room));
  });

  it('never throws', () => {
    expect(() =>
      evaluatePolicy(
        undefined as unknown as PolicyDocument,
        undefined as unknown as CallFacts,
        undefined as unknown as RoomFacts,
      ),
    ).not.toThrow();
  });
});

describe('explainPolicy (for the simulator)', () => {
  it('gives the same decision and traces every rule', () => {
    const doc = policy([
      rule({ tools: ['read'] }, { id: 'reads', effect: 'allow' }),
      rule({ tools: ['push_files'], protectedTarget: true, roles: ['ADMIN'] }, { id: 'admin-main' }),
      rule({ tools: ['push_files'] }, { id: 'off', enabled: false }),
      rule({ roles: ['DEVELOPER'] }, { id: 'dev', effect: 'require_approval' }),
      rule({}, { id: 'all', effect: 'allow' }),
    ]);
    const call = push();
    const explanation = explainPolicy(doc, call, room);
    expect(explanation.decision).toEqual(evaluatePolicy(doc, call, room));
    expect(explanation.rules).toEqual([
      {
        ruleId: 'reads',
        ruleName: expect.any(String),
        enabled: true,
        matched: false,
        failed: ['tools'],
        decisive: false,
      },
      {
        ruleId: 'admin-main',
        ruleName: expect.any(String),
        enabled: true,
        matched: false,
        failed: ['roles', 'protectedTarget'],
        decisive: false,
      },
      { ruleId: 'off', ruleName: expect.any(String), enabled: false, matched: true, failed: [], decisive: false },
      { ruleId: 'dev', ruleName: expect.any(String), enabled: true, matched: true, failed: [], decisive: true },
      { ruleId: 'all', ruleName: expect.any(String), enabled: true, matched: true, failed: [], decisive: false },
    ]);
  });

  it('returns no traces when evaluation fails', () => {
    const explanation = explainPolicy(policy([]), push({ now: new Date(NaN) }), room);
    expect(explanation.decision.ruleName).toBe('evaluation error');
    expect(explanation.rules).toEqual([]);
  });
});
