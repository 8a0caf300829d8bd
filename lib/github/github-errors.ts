// GitHub's error answers, as Aegis's errors: a stable code and a message safe to show an agent.
// Octokit's own errors carry the request (URL, headers) and GitHub's body; none of that is passed
// on — the message is composed here, and the credential never appears in it.
import { AppError, conflict, invalid, isAppError, notFound } from '../errors';

type RequestErrorLike = {
  status: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
};

function isRequestError(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** GitHub's own message (e.g. "Update is not a fast forward"), without the documentation link. */
export function githubMessage(error: unknown): string {
  if (!isRequestError(error)) return '';
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message.slice(0, 300) : '';
}

export function isGitHubStatus(error: unknown, ...statuses: number[]): boolean {
  return isRequestError(error) && !isAppError(error) && statuses.includes(error.status);
}

/** Seconds until a rate limit lifts, from Retry-After or x-ratelimit-reset; null if not a rate limit. */
export function rateLimitWait(error: unknown, now = Date.now()): number | null {
  if (!isRequestError(error) || (error.status !== 403 && error.status !== 429)) return null;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter > 0) return Math.ceil(retryAfter);
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return Number.isFinite(reset) ? Math.max(1, Math.ceil((reset - now) / 1000)) : 60;
  }
  return /rate limit/i.test(githubMessage(error)) ? 60 : null;
}

/**
 * Maps a failed GitHub request to an AppError. `what` says what Aegis was doing ("reading
 * src/a.ts"), so the agent learns which step GitHub refused.
 */
export function toAppError(error: unknown, what: string): unknown {
  if (isAppError(error) || !isRequestError(error)) return error;
  const wait = rateLimitWait(error);
  if (wait !== null) {
    const at = new Date(Date.now() + wait * 1000).toISOString();
    return new AppError(
      'rate_limited',
      `GitHub's rate limit for this room's credential is used up while ${what}. Wait ${wait} seconds (until ${at}) and try again; nothing further was done.`,
      { retryAfterSeconds: wait },
    );
  }
  const detail = githubMessage(error);
  const said = detail ? ` (GitHub said: ${detail})` : '';
  switch (error.status) {
    case 401:
      return new AppError(
        'unavailable',
        `GitHub did not accept this room's credential while ${what}; a room ADMIN must replace it.`,
      );
    case 403:
      return new AppError(
        'forbidden',
        `GitHub refused ${what}: the room's credential lacks a permission for it${said}.`,
      );
    case 404:
      return notFound(`GitHub found nothing while ${what}${said}.`);
    case 409:
      return conflict(`GitHub refused ${what}: it conflicts with the repository's current state${said}.`);
    case 405:
    case 422:
      return invalid(`GitHub refused ${what}${said}.`);
    default:
      return new AppError(
        'unavailable',
        `GitHub could not be reached or failed (${error.status}) while ${what}; nothing further was done.`,
      );
  }
}

/** Runs one GitHub request, its failure mapped with toAppError. */
export async function asking<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw toAppError(error, what);
  }
}
