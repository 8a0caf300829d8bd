import { describe, expect, it } from 'vitest';

import { evaluatePolicy } from './evaluate-policy';
import { parsePolicy, serializePolicy } from './policy-io';
import { policyDocumentSchema, type CallFacts, type ChangedFile, type RoomFacts } from './policy-schema';
import { defaultPolicy, POLICY_PRESETS, presetRule } from './presets';

const githubRoom: RoomFacts = { defaultBranch: 'main', protectedBranches: ['release/*'], branchPattern: 'aegis/**' };
const NOW = new Date('2025-06-04T10:00:00Z'); // Wednesday 12:00 in Berlin

const change = (
  path: string,
  additions = 5,
  deletions = 1,
  status: ChangedFile['status'] = 'modified',
): ChangedFile => ({
  path,
  status,
  additions,
  deletions,
});

const call = (facts: Omit<CallFacts, 'now'> & { now?: Date }): CallFacts => ({ now: NOW, ...facts });
const decide = (facts: Omit<CallFacts, 'now'> & { now?: Date }, room = githubRoom, doc = defaultPolicy()) =>
  evaluatePolicy(doc, call(facts), room);

const privateKey = () => {
  const d = '-'.repeat(5);
  const body =
    'MIIEow' +
    'IBAAKCAQEA7n' +
    'Kq3Xb9Lm2Pz8Rt5Wv1Yc4Hd6Jf0Gs'.repeat(3) +
    '\nQ2w3E4r5T6y7U8i9O0pAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkL1234abcd==';
  return `${d}BEGIN RSA PRIVATE KEY${d}\n${body}\n${d}END RSA PRIVATE KEY${d}\n`;
};

describe('the default policy', () => {
  it('is a valid policy that survives a round trip', () => {
    const doc = defaultPolicy();
    expect(policyDocumentSchema.parse(doc)).toEqual(doc);
    expect(parsePolicy(serializePolicy(doc, 'yaml'), 'yaml')).toEqual(doc);
    expect(doc.defaultEffect).toBe('require_approval');
  });

  it('lists the presets in the order that gives PRODUCT.md’s defaults table its meaning', () => {
    // The merge blocks come before the rules that ask for approval (see presets.ts).
    expect(defaultPolicy().rules.map((r) => r.id)).toEqual([
      'read-tools',
      'secret-detection',
      'freeze-windows',
      'protected-branches',
      'protected-branch-deletion',
      'branch-naming',
      'no-autonomous-merge',
      'admin-merge-ci',
      'sensitive-paths',
      'blast-radius',
      'admin-merge',
      'owner-allow',
      'working-branches',
      'pull-requests',
      'admin-writes',
    ]);
    for (const rule of defaultPolicy().rules) expect(rule.preset).toBe(rule.id);
  });

  it('returns fresh copies', () => {
    const a = defaultPolicy();
    a.rules[0]!.enabled = false;
    expect(defaultPolicy().rules[0]!.enabled).toBe(true);
    const r = presetRule('branch-naming')!;
    r.name = 'changed';
    expect(presetRule('branch-naming')!.name).toBe('Branch naming');
    expect(presetRule('nope')).toBeUndefined();
    expect(POLICY_PRESETS.every((p) => p.description.length > 0)).toBe(true);
  });
});

describe('each preset on a realistic call', () => {
  it('read tools → allow', () => {
    for (const tool of ['list_branches', 'get_file_contents', 'list_pull_requests', 'wait_for_approval'] as const) {
      expect(decide({ tool, role: 'DEVELOPER', branch: 'main' })).toMatchObject({
        effect: 'allow',
        ruleId: 'read-tools',
        blastRadius: null,
      });
    }
  });

  it('a push with a private key → block, whoever pushes', () => {
    for (const role of ['DEVELOPER', 'ADMIN', 'OWNER'] as const) {
      const decision = decide({
        tool: 'push_files',
        role,
        branch: 'aegis/keys',
        changes: [change('config/deploy.txt')],
        contents: [{ path: 'config/deploy.txt', content: `# deploy key\n${privateKey()}` }],
      });
      expect(decision).toMatchObject({ effect: 'block', ruleId: 'secret-detection' });
      expect(decision.message).toMatch(/looks like it contains a secret \(private key in config\/deploy\.txt line 2\)/);
      expect(decision.secretFindings).toHaveLength(1);
    }
  });

  it('a write during a freeze window → block with the window name; reads still work', () => {
    const doc = {
      ...defaultPolicy(),
      freezeWindows: [
        {
          name: 'release freeze',
          timeZone: 'Europe/Berlin',
          days: ['wed' as const],
          startTime: '09:00',
          endTime: '18:00',
        },
      ],
    };
    const decision = decide(
      { tool: 'push_files', role: 'OWNER', branch: 'aegis/x', changes: [change('src/a.ts')] },
      githubRoom,
      doc,
    );
    expect(decision).toMatchObject({ effect: 'block', ruleId: 'freeze-windows', freeze: 'release freeze' });
    expect(decision.message).toMatch(/freeze window "release freeze"/);
    expect(decide({ tool: 'list_branches', role: 'DEVELOPER' }, githubRoom, doc)).toMatchObject({
      effect: 'allow',
      freeze: 'release freeze',
    });
    expect(
      decide(
        {
          tool: 'push_files',
          role: 'OWNER',
          branch: 'aegis/x',
          changes: [change('src/a.ts')],
          now: new Date('2025-06-04T17:00:00Z'),
        },
        githubRoom,
        doc,
      ),
    ).toMatchObject({ effect: 'allow' });
  });

  it('DEVELOPER push to main (or a protected branch) → rewrite', () => {
    expect(
      decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'main', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'rewrite',
      ruleId: 'protected-branches',
    });
    expect(
      decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'release/2.0', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'rewrite',
    });
  });

  it('DEVELOPER push to aegis/x → allow', () => {
    expect(
      decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'aegis/x', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'allow',
      ruleId: 'working-branches',
      blastRadius: { level: 'low' },
    });
    expect(
      decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'aegis/fix/login', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'allow',
    });
  });

  it('deleting the default or a protected branch → block; an agent branch → allow', () => {
    expect(decide({ tool: 'delete_branch', role: 'OWNER', branch: 'main' })).toMatchObject({
      effect: 'block',
      ruleId: 'protected-branch-deletion',
    });
    expect(decide({ tool: 'delete_branch', role: 'DEVELOPER', branch: 'aegis/done' })).toMatchObject({
      effect: 'allow',
      ruleId: 'working-branches',
    });
    expect(decide({ tool: 'delete_branch', role: 'DEVELOPER', branch: 'someones-branch' })).toMatchObject({
      effect: 'require_approval',
      ruleId: null,
    });
  });

  it('create_branch feature/x → block with a message naming the pattern; aegis/x → allow', () => {
    const decision = decide({ tool: 'create_branch', role: 'DEVELOPER', branch: 'feature/x', newBranch: 'feature/x' });
    expect(decision).toMatchObject({ effect: 'block', ruleId: 'branch-naming' });
    expect(decision.message).toBe(
      'Branch "feature/x" was not created: branches created by agents must match the room\'s branch pattern "aegis/**". Choose a name that matches it and try again.',
    );
    expect(decide({ tool: 'create_branch', role: 'DEVELOPER', branch: 'aegis/x', newBranch: 'aegis/x' })).toMatchObject(
      {
        effect: 'allow',
        ruleId: 'working-branches',
      },
    );
    // the room's own pattern is used
    const botRoom = { ...githubRoom, branchPattern: 'bot/*' };
    expect(
      decide({ tool: 'create_branch', role: 'DEVELOPER', branch: 'aegis/x', newBranch: 'aegis/x' }, botRoom).message,
    ).toMatch(/"bot\/\*"/);
    // also when a push creates the branch
    expect(
      decide({ tool: 'push_files', role: 'OWNER', branch: 'tmp', newBranch: 'tmp', changes: [change('a.ts')] }),
    ).toMatchObject({
      effect: 'block',
      ruleId: 'branch-naming',
    });
  });

  it('push to .github/workflows/ci.yml → require_approval', () => {
    expect(
      decide({
        tool: 'push_files',
        role: 'DEVELOPER',
        branch: 'aegis/ci',
        changes: [change('.github/workflows/ci.yml')],
      }),
    ).toMatchObject({
      effect: 'require_approval',
      ruleId: 'sensitive-paths',
      approvals: 1,
      blastRadius: { level: 'high' },
    });
    // OWNERs too: the sensitive-path rule comes before "OWNER, everything else"
    expect(
      decide({ tool: 'push_files', role: 'OWNER', branch: 'aegis/deps', changes: [change('package.json')] }),
    ).toMatchObject({ effect: 'require_approval', ruleId: 'sensitive-paths' });
  });

  it('a High blast radius push → require_approval', () => {
    const changes = Array.from({ length: 25 }, (_, i) => change(`src/module-${i}.ts`));
    expect(decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'aegis/refactor', changes })).toMatchObject({
      effect: 'require_approval',
      ruleId: 'blast-radius',
      blastRadius: { level: 'high', reasons: ['25 files changed', '150 lines changed'] },
    });
  });

  it('DEVELOPER merge → block', () => {
    const decision = decide({
      tool: 'merge_pull_request',
      role: 'DEVELOPER',
      branch: 'main',
      baseBranch: 'main',
      ciStatus: 'success',
    });
    expect(decision).toMatchObject({ effect: 'block', ruleId: 'no-autonomous-merge' });
    expect(decision.message).toMatch(/cannot merge pull requests/);
  });

  it('DEVELOPER merge → block whatever the pull request touches', () => {
    const merge = (changes: ChangedFile[]) =>
      decide({ tool: 'merge_pull_request', role: 'DEVELOPER', branch: 'main', baseBranch: 'main', changes });
    const bigChange = Array.from({ length: 60 }, (_, i) => change(`src/module-${i}.ts`, 50, 0));
    for (const changes of [
      [change('README.md')],
      [change('.github/workflows/ci.yml', 5, 0, 'added')],
      [change('package.json'), change('infra/main.tf')],
      bigChange,
    ]) {
      expect(merge(changes), changes[0]!.path).toMatchObject({ effect: 'block', ruleId: 'no-autonomous-merge' });
    }
  });

  it('ADMIN merge with failing CI → block, also when it touches sensitive paths or is large', () => {
    for (const changes of [
      [change('.github/workflows/ci.yml')],
      Array.from({ length: 30 }, (_, i) => change(`m${i}.ts`)),
    ]) {
      expect(
        decide({
          tool: 'merge_pull_request',
          role: 'ADMIN',
          branch: 'main',
          baseBranch: 'main',
          changes,
          ciStatus: 'failure',
        }),
      ).toMatchObject({ effect: 'block', ruleId: 'admin-merge-ci' });
    }
  });

  it('ADMIN merge of a sensitive change → the sensitive-path approval names the reason', () => {
    expect(
      decide({
        tool: 'merge_pull_request',
        role: 'ADMIN',
        branch: 'main',
        baseBranch: 'main',
        changes: [change('.github/workflows/ci.yml')],
        ciStatus: 'success',
      }),
    ).toMatchObject({ effect: 'require_approval', ruleId: 'sensitive-paths', approvals: 1 });
  });

  it('ADMIN merge → require_approval; blocked while CI fails or runs (github rooms)', () => {
    const merge = (ciStatus?: CallFacts['ciStatus']) =>
      decide({
        tool: 'merge_pull_request',
        role: 'ADMIN',
        branch: 'main',
        baseBranch: 'main',
        changes: [change('src/a.ts')],
        ...(ciStatus ? { ciStatus } : {}),
      });
    expect(merge('success')).toMatchObject({ effect: 'require_approval', ruleId: 'admin-merge', approvals: 1 });
    expect(merge('failure')).toMatchObject({ effect: 'block', ruleId: 'admin-merge-ci' });
    expect(merge('pending')).toMatchObject({ effect: 'block', ruleId: 'admin-merge-ci' });
    expect(merge('none')).toMatchObject({ effect: 'require_approval', ruleId: 'admin-merge' });
    // a git room reports no CI status
    expect(merge()).toMatchObject({ effect: 'require_approval', ruleId: 'admin-merge' });
  });

  it('OWNER push → allow (and OWNER merge)', () => {
    expect(decide({ tool: 'push_files', role: 'OWNER', branch: 'main', changes: [change('src/a.ts')] })).toMatchObject({
      effect: 'allow',
      ruleId: 'owner-allow',
    });
    expect(
      decide({ tool: 'merge_pull_request', role: 'OWNER', branch: 'main', baseBranch: 'main', ciStatus: 'success' }),
    ).toMatchObject({
      effect: 'allow',
      ruleId: 'owner-allow',
    });
  });

  it('opening a pull request → allow', () => {
    expect(
      decide({
        tool: 'create_pull_request',
        role: 'DEVELOPER',
        branch: 'aegis/x',
        baseBranch: 'main',
        changes: [change('src/a.ts')],
      }),
    ).toMatchObject({
      effect: 'allow',
      ruleId: 'pull-requests',
    });
  });

  it('ADMIN writes: allowed on unprotected branches, approval on protected ones (not rewritten)', () => {
    expect(
      decide({ tool: 'push_files', role: 'ADMIN', branch: 'hotfix/login', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'allow',
      ruleId: 'admin-writes',
    });
    expect(decide({ tool: 'push_files', role: 'ADMIN', branch: 'main', changes: [change('src/a.ts')] })).toMatchObject({
      effect: 'require_approval',
      ruleId: null,
      ruleName: 'default',
    });
  });

  it('a DEVELOPER push to someone else’s branch falls through to approval', () => {
    expect(
      decide({ tool: 'push_files', role: 'DEVELOPER', branch: 'feature/human', changes: [change('src/a.ts')] }),
    ).toMatchObject({
      effect: 'require_approval',
      ruleId: null,
    });
  });
});
