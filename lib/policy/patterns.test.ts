import { describe, expect, it } from 'vitest';

import { AppError } from '../errors';
import { branchPatternProblem, matchAnyBranch, matchBranch, matchPath, pathPatternProblem } from './patterns';

describe('matchBranch (GitHub branch-protection semantics)', () => {
  it.each([
    // exact names
    ['main', 'main', true],
    ['main', 'main2', false],
    ['main', 'mai', false],
    ['main', 'feature/main', false],
    // * stays inside one segment
    ['*', 'main', true],
    ['*', 'feature/x', false],
    ['feature/*', 'feature/x', true],
    ['feature/*', 'feature/x/y', false],
    ['feature/*', 'feature', false],
    ['feature/*', 'feature/', false],
    ['*-hotfix', 'prod-hotfix', true],
    ['*-hotfix', 'a/prod-hotfix', false],
    ['release-*', 'release-1.2', true],
    // ** as a whole segment crosses segments
    ['aegis/**', 'aegis/x', true],
    ['aegis/**', 'aegis/fix/login', true],
    ['aegis/**', 'aegis/a/b/c/d', true],
    ['release/**/*', 'release/x', true],
    ['release/**/*', 'release/a/b', true],
    ['release/**/*', 'aegis/fix/login', false],
    ['**/*', 'aegis/fix/login', true],
    ['**', 'anything/at/all', true],
    ['**/hotfix', 'hotfix', true],
    ['**/hotfix', 'team/a/hotfix', true],
    ['**/hotfix', 'team/a/hotfix2', false],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    // a trailing /** needs something below it
    ['aegis/**', 'aegis', false],
    ['aegis/**', 'aegis-x', false],
    ['aegis/**', 'aegisx/y', false],
    // ** inside a segment is a plain *
    ['a**b', 'axyb', true],
    ['a**b', 'ax/b', false],
    ['feature**', 'feature/x', false],
    // ? and classes never cross /
    ['v?', 'v1', true],
    ['v?', 'v12', false],
    ['a?c', 'a/c', false],
    ['v[0-9]', 'v7', true],
    ['v[0-9]', 'vx', false],
    ['v[!0-9]', 'vx', true],
    ['v[!0-9]', 'v7', false],
    ['v[^0-9]', 'vx', true],
    ['a[!b]c', 'a/c', false],
    // case-sensitive like git
    ['Main', 'main', false],
  ])('%s vs %s → %s', (pattern, branch, expected) => {
    expect(matchBranch(pattern, branch)).toBe(expected);
  });

  it('treats braces, negation, extglobs and regex characters literally', () => {
    expect(matchBranch('{main,dev}', 'main')).toBe(false);
    expect(matchBranch('{main,dev}', '{main,dev}')).toBe(true);
    expect(matchBranch('!main', 'dev')).toBe(false);
    expect(matchBranch('!main', 'main')).toBe(false);
    expect(matchBranch('!main', '!main')).toBe(true);
    expect(matchBranch('+(a)', 'a')).toBe(false);
    expect(matchBranch('+(a)', '+(a)')).toBe(true);
    expect(matchBranch('@(a|b)', 'a')).toBe(false);
    expect(matchBranch('@(a|b)', '@(a|b)')).toBe(true);
    expect(matchBranch('(a|b)', 'a')).toBe(false);
    expect(matchBranch('(a|b)', '(a|b)')).toBe(true);
    expect(matchBranch('a+', 'aa')).toBe(false);
    expect(matchBranch('a+', 'a+')).toBe(true);
    expect(matchBranch('$room', '$room')).toBe(true);
    expect(matchBranch('v1.2', 'v1x2')).toBe(false);
    expect(matchBranch('feat[', 'feat[')).toBe(true);
  });

  it('accepts backslash escapes for glob characters', () => {
    expect(matchBranch('a\\*', 'a*')).toBe(true);
    expect(matchBranch('a\\*', 'ab')).toBe(false);
  });

  it('never matches an empty branch and refuses an empty pattern', () => {
    expect(matchBranch('*', '')).toBe(false);
    expect(() => matchBranch('', 'main')).toThrow(AppError);
    expect(() => matchBranch(undefined as unknown as string, 'main')).toThrow(AppError);
  });

  it('matchAnyBranch is true when one pattern matches', () => {
    expect(matchAnyBranch(['release/*', 'main'], 'main')).toBe(true);
    expect(matchAnyBranch(['release/*', 'main'], 'dev')).toBe(false);
    expect(matchAnyBranch([], 'main')).toBe(false);
  });

  it('reports unusable branch patterns', () => {
    expect(branchPatternProblem('aegis/**')).toBeNull();
    expect(branchPatternProblem('')).toMatch(/empty/);
    expect(branchPatternProblem('has space')).toMatch(/whitespace/);
    expect(branchPatternProblem('/main')).toMatch(/start or end/);
    expect(branchPatternProblem('main/')).toMatch(/start or end/);
    expect(branchPatternProblem('a//b')).toMatch(/\/\//);
    expect(branchPatternProblem('x'.repeat(300))).toMatch(/at most/);
  });
});

describe('matchPath (gitignore-like, dotfiles included)', () => {
  it.each([
    // dotfiles and dot-directories match like anything else
    ['**/*.yml', '.github/workflows/ci.yml', true],
    ['**/*.yml', 'ci.yml', true],
    ['*.yml', '.gitlab-ci.yml', true],
    ['.github/workflows/**', '.github/workflows/ci.yml', true],
    ['.github/workflows/**', '.github/workflows', false],
    ['.github/**', '.github/dependabot.yml', true],
    ['*', '.env', true],
    // a pattern without a slash matches at any depth (file or directory name)
    ['*.pem', 'server.pem', true],
    ['*.pem', 'config/certs/server.pem', true],
    ['*.pem', 'server.pem.bak', false],
    ['CODEOWNERS', 'CODEOWNERS', true],
    ['CODEOWNERS', '.github/CODEOWNERS', true],
    ['CODEOWNERS', 'docs/CODEOWNERS.md', false],
    ['Dockerfile', 'services/api/Dockerfile', true],
    ['docker-compose*.yml', 'deploy/docker-compose.prod.yml', true],
    ['terraform', 'infra/terraform/main.tf', true],
    ['k8s', 'k8s/deployment.yaml', true],
    // a pattern with a slash is anchored at the root
    ['terraform/**', 'terraform/main.tf', true],
    ['terraform/**', 'infra/terraform/main.tf', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/lib/a.ts', false],
    ['src/*.ts', 'pkg/src/a.ts', false],
    ['/README.md', 'README.md', true],
    ['/README.md', 'docs/README.md', false],
    ['/docs', 'docs/guide.md', true],
    // ** segments
    ['**/auth/**', 'auth/login.ts', true],
    ['**/auth/**', 'src/auth/login.ts', true],
    ['**/auth/**', 'src/auth.ts', false],
    ['**/auth/**', 'src/oauth/x.ts', false],
    ['docs/**/*.md', 'docs/a.md', true],
    ['docs/**/*.md', 'docs/a/b/c.md', true],
    ['docs/**', 'docs', false],
    ['**', 'a/b/c', true],
    // directory patterns cover everything below
    ['docs', 'docs/a/b.md', true],
    ['docs/', 'docs/a/b.md', true],
    ['docs/', 'docs', false],
    ['build/', 'src/build/out.js', true],
    ['src/lib', 'src/lib/x/y.ts', true],
    ['src/lib', 'src/library.ts', false],
    // * and ? stay within a segment
    ['src/*', 'src/a/b.ts', true], // src/a is a directory matched by src/* → covers b.ts, as in gitignore
    ['src/*.ts', 'src/a/b.ts', false],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    // literal punctuation
    ['{a,b}.txt', 'a.txt', false],
    ['{a,b}.txt', '{a,b}.txt', true],
    ['!secret.txt', 'other.txt', false],
    ['file(1).txt', 'file(1).txt', true],
    ['file(1).txt', 'file1.txt', false],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(matchPath(pattern, path)).toBe(expected);
  });

  it('never matches an empty path and refuses an empty pattern', () => {
    expect(matchPath('**', '')).toBe(false);
    expect(() => matchPath('', 'a')).toThrow(AppError);
  });

  it('reports unusable path patterns', () => {
    expect(pathPatternProblem('**/*.yml')).toBeNull();
    expect(pathPatternProblem('')).toMatch(/empty/);
    expect(pathPatternProblem('a//b')).toMatch(/\/\//);
    expect(pathPatternProblem('/')).toMatch(/only/);
    expect(pathPatternProblem('a\u0001')).toMatch(/control/);
  });

  it('caches compiled matchers without changing results', () => {
    for (let i = 0; i < 3; i++) {
      expect(matchPath('**/*.ts', 'a/b.ts')).toBe(true);
      expect(matchBranch('aegis/**', 'aegis/x')).toBe(true);
    }
  });

  it('keeps working when the cache overflows', () => {
    for (let i = 0; i < 2100; i++) matchBranch(`b${i}/*`, `b${i}/x`);
    expect(matchBranch('b0/*', 'b0/x')).toBe(true);
    expect(matchBranch('b2099/*', 'b1/x')).toBe(false);
  });
});
