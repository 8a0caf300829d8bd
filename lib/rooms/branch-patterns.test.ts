import { describe, expect, it } from 'vitest';
import { roomBranchPatternProblem } from './branch-patterns';
import { roomSettingsSchema } from './schemas';

describe('roomBranchPatternProblem', () => {
  it.each([
    'main',
    'release/*',
    'release/**',
    'release/**/*',
    'aegis/**',
    '**/hotfix',
    'v[0-9]*',
    'v[!0-9]',
    'hotfix-?',
    'team/a+b',
    '(a|b)',
    'feature/@x',
  ])('accepts %s', (pattern) => {
    expect(roomBranchPatternProblem(pattern)).toBeNull();
  });

  it.each([
    ['release/{a,b}', /braces/],
    ['{main,dev}', /braces/],
    ['!main', /cannot be negated/],
    ['main,release/*', /comma: put each pattern on its own line/],
    ['-bad', /can never match a branch: a branch name must not start with "-"/],
    ['*.lock', /can never match a branch.*"\.lock"/],
    ['.hidden/*', /can never match a branch.*starting with "\."/],
    ['a..b', /can never match a branch.*"\.\."/],
    ['refs/heads/*', /can never match a branch.*refs\//],
    ['release/*.', /can never match a branch.*end with "\."/],
    ['a\\*b', /can never match a branch.*"\*"/],
    ['HEAD', /can never match a branch/],
    ['release/ x', /whitespace/],
    ['release//x', /"\/\/"/],
    ['/release', /start or end with "\/"/],
    ['', /empty/],
  ])('refuses %s', (pattern, message) => {
    expect(roomBranchPatternProblem(pattern)).toMatch(message);
  });
});

describe('roomSettingsSchema', () => {
  const base = { defaultBranch: 'main', protectedBranches: '', branchPattern: 'aegis/**' };

  it('reads one protected-branch pattern per line, trimmed and without duplicates', () => {
    const parsed = roomSettingsSchema.parse({ ...base, protectedBranches: 'release/**\r\n  hotfix/*\n\nrelease/**\n' });
    expect(parsed.protectedBranches).toEqual(['release/**', 'hotfix/*']);
  });

  it('names the offending pattern in a field error', () => {
    const result = roomSettingsSchema.safeParse({ ...base, protectedBranches: 'release/*\nrelease/{a,b}' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ['protectedBranches', 1],
      message: expect.stringMatching(/^"release\/\{a,b\}" must not use braces/),
    });
    const pattern = roomSettingsSchema.safeParse({ ...base, branchPattern: '-bot/*' });
    expect(pattern.error!.issues[0]).toMatchObject({ path: ['branchPattern'] });
  });

  it('checks the default branch as git does', () => {
    const result = roomSettingsSchema.safeParse({ ...base, defaultBranch: 'a..b' });
    expect(result.error!.issues[0]).toMatchObject({
      path: ['defaultBranch'],
      message: 'Invalid branch name: it must not contain "..".',
    });
  });

  it('needs a new password or token to replace the credentials', () => {
    const result = roomSettingsSchema.safeParse({ ...base, credentials: 'replace', username: 'bot', password: '' });
    expect(result.error!.issues[0]).toMatchObject({ path: ['password'] });
    expect(roomSettingsSchema.parse({ ...base }).credentials).toBe('keep');
  });
});
