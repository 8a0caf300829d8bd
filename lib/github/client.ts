// The GitHub API client of one GitHub room: Octokit with GitHub's rate limits respected.
// - Primary limits (403/429 with x-ratelimit-remaining: 0, waiting until x-ratelimit-reset) and
//   secondary limits (403/429 with Retry-After) are waited out when the wait is at most
//   AEGIS_GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS, at most twice per request. Longer waits are not
//   made: the call fails with a rate_limited error telling the agent how long to wait (see
//   github-errors.ts).
// - Write requests with one credential are paced (AEGIS_GITHUB_WRITE_INTERVAL_MS apart, one at a
//   time), as GitHub asks, so Aegis does not trip secondary limits itself.
// - Server errors (5xx) are retried with backoff by the retry plugin.
// The API URL is checked against the operator's network policy before a client is made: like a
// git remote, it must resolve to public addresses unless private networks are allowed.
import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import { invalid } from '../errors';
import { resolveAllowedHost, type NetworkPolicy } from '../network/public-address';
import type { GitHubCredentials } from './credentials';

const AegisOctokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof AegisOctokit>;

export const GITHUB_API_URL_REFUSED =
  'Aegis cannot use this GitHub API URL: it must be https (http only where private networks are allowed) and resolve to public addresses only (unless the operator allows private networks).';

export interface GitHubClientOptions {
  apiUrl: string;
  credentials: GitHubCredentials;
  network: NetworkPolicy;
  /** Longest rate-limit wait made inside a call (seconds). */
  maxRateLimitWaitSeconds: number;
  /** Pause between write requests (ms). */
  writeIntervalMs: number;
  /** Names the credential for pacing (writes with one credential share one queue). */
  pacingKey: string;
}

/** The API base URL without a trailing slash, or a refusal when the network policy forbids it. */
export async function admitGitHubApiUrl(apiUrl: string, network: NetworkPolicy): Promise<string> {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw invalid(GITHUB_API_URL_REFUSED, { field: 'githubApiUrl' });
  }
  const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && network.allowPrivateNetworks);
  if (!schemeAllowed || url.username || url.password || url.search || url.hash) {
    throw invalid(GITHUB_API_URL_REFUSED, { field: 'githubApiUrl' });
  }
  const host = await resolveAllowedHost(url.hostname, network);
  if (!host.ok) throw invalid(GITHUB_API_URL_REFUSED, { field: 'githubApiUrl' });
  return url.toString().replace(/\/+$/, '');
}

// Write pacing is per credential and process; Bottleneck groups are keyed by pacingKey.
const writeGroups = new Map<number, Bottleneck.Group>();
function writeGroup(intervalMs: number): Bottleneck.Group {
  let group = writeGroups.get(intervalMs);
  if (!group) {
    group = new Bottleneck.Group({ maxConcurrent: 1, minTime: intervalMs });
    writeGroups.set(intervalMs, group);
  }
  return group;
}

export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const baseUrl = await admitGitHubApiUrl(options.apiUrl, options.network);
  const { credentials } = options;
  const maxWait = options.maxRateLimitWaitSeconds;
  const quiet = () => {};
  return new AegisOctokit({
    baseUrl,
    userAgent: 'aegis-gateway',
    ...(credentials.kind === 'token'
      ? { auth: credentials.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: credentials.appId,
            privateKey: credentials.privateKey,
            installationId: Number(credentials.installationId),
          },
        }),
    // Octokit's own request log would print every URL; Aegis reports outcomes itself.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: { redirect: 'manual' },
    throttle: {
      id: options.pacingKey,
      write: writeGroup(options.writeIntervalMs),
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < 2 && retryAfter <= maxWait,
      onSecondaryRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
        retryCount < 2 && retryAfter <= maxWait,
    },
    // 403/429 are the throttling plugin's; 4xx answers are final.
    retry: { doNotRetry: [400, 401, 403, 404, 405, 409, 410, 422, 429, 451], retries: 2 },
  });
}
