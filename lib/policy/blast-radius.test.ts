import { describe, expect, it } from 'vitest';

import { blastRadiusAtLeast, isProtectedTarget, rateBlastRadius } from './blast-radius';
import type { ChangedFile } from './policy-schema';
import { isSensitivePath, sensitivePathCategory, SENSITIVE_PATHS } from './sensitive-paths';

const room = { defaultBranch: 'main', protectedBranches: ['release/*', 'prod'], branchPattern: 'aegis/**' };

const modified = (path: string, additions = 1, deletions = 0): ChangedFile => ({
  path,
  status: 'modified',
  additions,
  deletions,
});
const files = (n: number, linesEach = 1): ChangedFile[] =>
  Array.from({ length: n }, (_, i) => modified(`src/file-${i}.ts`, linesEach));

const rate = (
  changes: ChangedFile[],
  branch = 'aegis/x',
  tool: 'push_files' | 'merge_pull_request' | 'delete_branch' | 'create_branch' = 'push_files',
) => rateBlastRadius({ tool, branch, changes }, room);

describe('rateBlastRadius', () => {
  it('Low: a small change on a working branch', () => {
    expect(rate([modified('src/a.ts', 10, 2)])).toEqual({ level: 'low', reasons: ['1 file, 12 lines changed'] });
    expect(rate(files(4, 20))).toEqual({ level: 'low', reasons: ['4 files, 80 lines changed'] });
    expect(rateBlastRadius({ tool: 'create_branch', branch: 'aegis/new' }, room)).toEqual({
      level: 'low',
      reasons: ['no file changes'],
    });
  });

  it('Medium: from 5 files or 100 lines, deletions, or a protected target', () => {
    expect(rate(files(5))).toEqual({ level: 'medium', reasons: ['5 files changed'] });
    expect(rate([modified('src/a.ts', 60, 40)])).toEqual({ level: 'medium', reasons: ['100 lines changed'] });
    expect(rate([{ path: 'src/old.ts', status: 'deleted', additions: 0, deletions: 3 }])).toEqual({
      level: 'medium',
      reasons: ['1 file deleted'],
    });
    expect(rate([modified('src/a.ts')], 'main')).toEqual({
      level: 'medium',
      reasons: ['targets protected branch main'],
    });
    expect(rate([modified('src/a.ts')], 'release/1.2').level).toBe('medium');
    expect(rate([modified('src/a.ts')], 'main', 'merge_pull_request').reasons).toEqual([
      'merges into protected branch main',
    ]);
    expect(rateBlastRadius({ tool: 'delete_branch', branch: 'aegis/old' }, room)).toEqual({
      level: 'medium',
      reasons: ['deletes branch aegis/old'],
    });
  });

  it('High: from 20 files or 500 lines, any sensitive path, or mass deletion', () => {
    expect(rate(files(20)).level).toBe('high');
    expect(rate([modified('src/a.ts', 400, 100)])).toEqual({ level: 'high', reasons: ['500 lines changed'] });
    expect(rate([modified('.github/workflows/ci.yml')])).toEqual({
      level: 'high',
      reasons: ['changes CI/CD: .github/workflows/ci.yml'],
    });
    expect(rate([modified('package.json'), modified('package-lock.json', 300)]).reasons[0]).toBe(
      'changes dependencies: package.json, package-lock.json',
    );
    const deletions = Array.from({ length: 5 }, (_, i): ChangedFile => ({
      path: `src/${i}.ts`,
      status: 'deleted',
      additions: 0,
      deletions: 1,
    }));
    expect(rate(deletions).level).toBe('high');
    expect(rate(deletions).reasons).toContain('5 files deleted');
  });

  it('Critical: from 50 files or 2000 lines, sensitive paths on a protected branch, deleting sensitive files or protected branches', () => {
    expect(rate(files(50)).level).toBe('critical');
    expect(rate([modified('src/gen.ts', 2000)]).level).toBe('critical');
    expect(rate([modified('src/auth/session.ts')], 'main')).toEqual({
      level: 'critical',
      reasons: ['changes auth/security: src/auth/session.ts on main', 'targets protected branch main'],
    });
    expect(rate([{ path: 'CODEOWNERS', status: 'deleted', additions: 0, deletions: 10 }])).toEqual({
      level: 'critical',
      reasons: ['deletes sensitive file: CODEOWNERS', 'changes CODEOWNERS: CODEOWNERS', '1 file deleted'],
    });
    expect(rateBlastRadius({ tool: 'delete_branch', branch: 'prod' }, room)).toEqual({
      level: 'critical',
      reasons: ['deletes protected branch prod'],
    });
  });

  it('lists every reason, most severe first, and shortens long path lists', () => {
    const changes = [
      modified('terraform/main.tf'),
      modified('terraform/vars.tf'),
      modified('k8s/app.yaml'),
      modified('helm/values.yaml'),
      modified('Dockerfile', 200),
    ];
    const rating = rate(changes);
    expect(rating.level).toBe('high');
    expect(rating.reasons).toEqual([
      'changes infrastructure: terraform/main.tf, terraform/vars.tf, k8s/app.yaml and 2 more',
      '5 files changed',
      '204 lines changed',
    ]);
  });

  it('uses the policy thresholds', () => {
    const strict = { medium: { files: 1, lines: 1 }, high: { files: 2, lines: 10 }, critical: { files: 3, lines: 20 } };
    expect(rateBlastRadius({ tool: 'push_files', branch: 'aegis/x', changes: files(1) }, room, strict).level).toBe(
      'medium',
    );
    expect(rateBlastRadius({ tool: 'push_files', branch: 'aegis/x', changes: files(2) }, room, strict).level).toBe(
      'high',
    );
    expect(rateBlastRadius({ tool: 'push_files', branch: 'aegis/x', changes: files(3) }, room, strict).level).toBe(
      'critical',
    );
  });

  it('compares levels', () => {
    expect(blastRadiusAtLeast('high', 'high')).toBe(true);
    expect(blastRadiusAtLeast('critical', 'high')).toBe(true);
    expect(blastRadiusAtLeast('medium', 'high')).toBe(false);
    expect(blastRadiusAtLeast('low', 'low')).toBe(true);
  });

  it('knows protected targets', () => {
    expect(isProtectedTarget('main', room)).toBe(true);
    expect(isProtectedTarget('release/2', room)).toBe(true);
    expect(isProtectedTarget('release/2/x', room)).toBe(false);
    expect(isProtectedTarget('aegis/x', room)).toBe(false);
    expect(isProtectedTarget(undefined, room)).toBe(false);
  });
});

describe('sensitive paths', () => {
  it.each([
    ['.github/workflows/ci.yml', 'ci'],
    ['.github/workflows/nested/deploy.yaml', 'ci'],
    ['.gitlab-ci.yml', 'ci'],
    ['Jenkinsfile', 'ci'],
    ['ci/Jenkinsfile', 'ci'],
    ['.circleci/config.yml', 'ci'],
    ['terraform/main.tf', 'infrastructure'],
    ['modules/network/main.tf', 'infrastructure'],
    ['k8s/deployment.yaml', 'infrastructure'],
    ['helm/values.yaml', 'infrastructure'],
    ['Dockerfile', 'infrastructure'],
    ['services/api/Dockerfile', 'infrastructure'],
    ['docker-compose.yml', 'infrastructure'],
    ['docker-compose.prod.yml', 'infrastructure'],
    ['src/auth/login.ts', 'auth'],
    ['auth/policy.go', 'auth'],
    ['app/security/headers.ts', 'auth'],
    ['CODEOWNERS', 'codeowners'],
    ['.github/CODEOWNERS', 'codeowners'],
    ['docs/CODEOWNERS', 'codeowners'],
    ['package.json', 'dependencies'],
    ['packages/web/package.json', 'dependencies'],
    ['package-lock.json', 'dependencies'],
    ['yarn.lock', 'dependencies'],
    ['pnpm-lock.yaml', 'dependencies'],
    ['go.mod', 'dependencies'],
    ['go.sum', 'dependencies'],
    ['Cargo.toml', 'dependencies'],
    ['Cargo.lock', 'dependencies'],
    ['requirements.txt', 'dependencies'],
    ['requirements-dev.txt', 'dependencies'],
    ['poetry.lock', 'dependencies'],
    ['Gemfile.lock', 'dependencies'],
    ['pom.xml', 'dependencies'],
    ['build.gradle', 'dependencies'],
    ['.env', 'credentials'],
    ['config/server.pem', 'credentials'],
  ])('%s is sensitive (%s)', (path, category) => {
    expect(sensitivePathCategory(path)).toBe(category);
    expect(isSensitivePath(path)).toBe(true);
  });

  it.each([
    'src/index.ts',
    'README.md',
    'docs/workflows.md',
    'src/oauth-client.ts',
    'src/authors.ts',
    'lib/packages.ts',
    'test/fixtures/data.json',
  ])('%s is not sensitive', (path) => {
    expect(isSensitivePath(path)).toBe(false);
  });

  it('exports a list of valid patterns', () => {
    expect(SENSITIVE_PATHS.length).toBeGreaterThan(50);
    for (const { pattern } of SENSITIVE_PATHS) expect(typeof pattern).toBe('string');
  });
});
