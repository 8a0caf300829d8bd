// Checking a GitHub room's repository and credential before the room is saved (on creation, and
// when the credential is replaced): the API URL is one Aegis may reach, the repository exists and
// the credential can read it, can write to it (contents and pull requests), and the default
// branch exists. Each failure names what is missing, on the form field it belongs to.
import { config } from '../config';
import { AppError, invalid, isAppError } from '../errors';
import type { NetworkPolicy } from '../network/public-address';
import { createGitHubClient } from './client';
import type { GitHubCredentials } from './credentials';
import { githubMessage, isGitHubStatus, rateLimitWait } from './github-errors';

/** What a room's credential needs, as the room form says it. */
export const GITHUB_TOKEN_PERMISSIONS =
  'Contents: read and write; Pull requests: read and write; Commit statuses: read; Checks: read; Metadata: read (and Workflows: read and write if agents may change .github/workflows).';

export interface CheckGitHubRepositoryInput {
  apiUrl: string;
  /** owner/repo */
  fullName: string;
  credentials: GitHubCredentials;
  defaultBranch?: string;
}

const credentialField = (credentials: GitHubCredentials) => (credentials.kind === 'token' ? 'password' : 'privateKey');

export async function checkGitHubRepository(
  input: CheckGitHubRepositoryInput,
  options: { network?: NetworkPolicy } = {},
): Promise<{ defaultBranch: string }> {
  const field = credentialField(input.credentials);
  const client = await createGitHubClient({
    apiUrl: input.apiUrl,
    credentials: input.credentials,
    network: options.network ?? { allowPrivateNetworks: config().AEGIS_ALLOW_PRIVATE_NETWORKS },
    maxRateLimitWaitSeconds: 0,
    writeIntervalMs: 0,
    pacingKey: 'room-check',
  });
  const [owner, repo] = input.fullName.split('/') as [string, string];
  let repository;
  try {
    repository = (await client.repos.get({ owner, repo })).data;
  } catch (error) {
    throw refusal(error, input, field);
  }
  // A token's repository permissions; an installation's come with its token.
  let canWrite = repository.permissions?.push;
  if (input.credentials.kind === 'app') {
    // The installation token Octokit minted for the request above (cached), with its permissions.
    const auth = client.auth as (options: {
      type: 'installation';
    }) => Promise<{ permissions?: Record<string, string> }>;
    const installation = await auth({ type: 'installation' }).catch((error: unknown) => {
      throw refusal(error, input, field);
    });
    const permissions: Record<string, string | undefined> = installation.permissions ?? {};
    const missing = ['contents', 'pull_requests'].filter((p) => permissions[p] !== 'write');
    if (missing.length > 0) {
      throw invalid(
        `The GitHub App installation cannot write to ${input.fullName}: it needs ${missing.map((p) => (p === 'contents' ? 'Contents' : 'Pull requests')).join(' and ')}: read and write.`,
        { field },
      );
    }
    canWrite = true;
  }
  if (canWrite === false) {
    throw invalid(
      `The token can read ${input.fullName} but not write to it: it needs Contents: read and write and Pull requests: read and write.`,
      { field },
    );
  }
  const defaultBranch = input.defaultBranch ?? repository.default_branch;
  try {
    await client.repos.getBranch({ owner, repo, branch: defaultBranch });
  } catch (error) {
    if (isGitHubStatus(error, 404))
      throw invalid(`${input.fullName} has no branch "${defaultBranch}"`, { field: 'defaultBranch' });
    throw refusal(error, input, field);
  }
  return { defaultBranch };
}

function refusal(error: unknown, input: CheckGitHubRepositoryInput, field: string): unknown {
  if (isAppError(error)) return error;
  if (rateLimitWait(error) !== null) {
    return new AppError(
      'rate_limited',
      `GitHub's rate limit for this credential is used up; try again in ${rateLimitWait(error)} seconds.`,
    );
  }
  if (isGitHubStatus(error, 401)) {
    return invalid(
      `GitHub did not accept the ${input.credentials.kind === 'token' ? 'token' : 'GitHub App credentials'} (bad credentials).`,
      { field },
    );
  }
  if (isGitHubStatus(error, 403, 404)) {
    return invalid(
      `${input.fullName} was not found, or the ${input.credentials.kind === 'token' ? 'token' : 'GitHub App installation'} cannot read it (it needs Metadata and Contents: read)${githubMessage(error) ? ` — GitHub said: ${githubMessage(error)}` : ''}.`,
      { field: 'location' },
    );
  }
  if (typeof (error as { status?: unknown })?.status === 'number') {
    return invalid(`GitHub answered ${(error as { status: number }).status} while checking ${input.fullName}.`, {
      field: 'githubApiUrl',
    });
  }
  // Unreachable host, refused connection, TLS failure: the API URL is the thing to check.
  return invalid('Aegis could not reach the GitHub API at this URL.', { field: 'githubApiUrl' });
}
