// Paths whose change can reach beyond the code itself: what runs in CI/CD, what provisions
// infrastructure, authentication and security code, who owns review (CODEOWNERS), what gets
// installed (dependency manifests and lockfiles), and files that usually hold credentials.
// A change to any of them rates at least High on the blast-radius scale, and a rule can match on
// them with `sensitivePaths: true`. Patterns are gitignore-like (see patterns.ts): a pattern
// without a slash matches at any depth.

import { firstMatchingPathPattern } from './patterns';

export const SENSITIVE_PATH_CATEGORIES = [
  'ci',
  'infrastructure',
  'auth',
  'codeowners',
  'dependencies',
  'credentials',
] as const;
export type SensitivePathCategory = (typeof SENSITIVE_PATH_CATEGORIES)[number];

export const SENSITIVE_PATH_CATEGORY_LABELS: Record<SensitivePathCategory, string> = {
  ci: 'CI/CD',
  infrastructure: 'infrastructure',
  auth: 'auth/security',
  codeowners: 'CODEOWNERS',
  dependencies: 'dependencies',
  credentials: 'credential files',
};

export type SensitivePathPattern = { pattern: string; category: SensitivePathCategory };

const group = (category: SensitivePathCategory, patterns: string[]): SensitivePathPattern[] =>
  patterns.map((pattern) => ({ pattern, category }));

export const SENSITIVE_PATHS: readonly SensitivePathPattern[] = Object.freeze([
  ...group('ci', [
    '.github/workflows/**',
    '.github/actions/**',
    '.gitlab-ci.yml',
    '.gitlab/**',
    'Jenkinsfile',
    '*.jenkinsfile',
    '.circleci/**',
    '.buildkite/**',
    '.travis.yml',
    '.drone.yml',
    'azure-pipelines.yml',
    '.azure-pipelines/**',
    'bitbucket-pipelines.yml',
    '.gitmodules',
  ]),
  ...group('infrastructure', [
    'terraform/**',
    '*.tf',
    '*.tfvars',
    '*.hcl',
    'k8s/**',
    'kubernetes/**',
    'helm/**',
    'charts/**',
    'ansible/**',
    'Pulumi.yaml',
    'Pulumi.*.yaml',
    'serverless.yml',
    'serverless.yaml',
    'cloudformation/**',
    'Dockerfile',
    'Dockerfile.*',
    '*.dockerfile',
    'docker-compose*.yml',
    'docker-compose*.yaml',
    'compose.yml',
    'compose.yaml',
  ]),
  ...group('auth', ['**/auth/**', '**/security/**']),
  ...group('codeowners', ['CODEOWNERS']),
  ...group('dependencies', [
    'package.json',
    'package-lock.json',
    'npm-shrinkwrap.json',
    'yarn.lock',
    '.yarnrc.yml',
    'pnpm-lock.yaml',
    'pnpm-workspace.yaml',
    'bun.lock',
    'bun.lockb',
    'go.mod',
    'go.sum',
    'Cargo.toml',
    'Cargo.lock',
    'requirements*.txt',
    'constraints*.txt',
    'Pipfile',
    'Pipfile.lock',
    'pyproject.toml',
    'poetry.lock',
    'uv.lock',
    'setup.py',
    'setup.cfg',
    'Gemfile',
    'Gemfile.lock',
    '*.gemspec',
    'pom.xml',
    'build.gradle',
    'build.gradle.kts',
    'settings.gradle',
    'settings.gradle.kts',
    'gradle.lockfile',
    'gradle-wrapper.properties',
    'composer.json',
    'composer.lock',
    'packages.lock.json',
    'Directory.Packages.props',
    '*.csproj',
    'mix.exs',
    'mix.lock',
    'Package.swift',
    'Package.resolved',
    'Podfile',
    'Podfile.lock',
  ]),
  ...group('credentials', [
    '.env',
    '.env.*',
    '*.pem',
    '*.key',
    '*.p12',
    '*.pfx',
    'id_rsa*',
    'id_ed25519*',
    '.npmrc',
    '.pypirc',
    '.netrc',
  ]),
]);

const PATTERNS = SENSITIVE_PATHS.map(({ pattern }) => pattern);

// Agents push the same files again and again; remember recent answers (bounded).
const categoryCache = new Map<string, SensitivePathCategory | null>();
const CACHE_LIMIT = 5000;

/** The category of the first sensitive pattern `path` matches, or null. */
export function sensitivePathCategory(path: string): SensitivePathCategory | null {
  const cached = categoryCache.get(path);
  if (cached !== undefined) return cached;
  const index = firstMatchingPathPattern(PATTERNS, path);
  const category = index === -1 ? null : SENSITIVE_PATHS[index]!.category;
  if (categoryCache.size >= CACHE_LIMIT) categoryCache.clear();
  categoryCache.set(path, category);
  return category;
}

/** Is `path` (repository-relative) a sensitive path? */
export function isSensitivePath(path: string): boolean {
  return sensitivePathCategory(path) !== null;
}
