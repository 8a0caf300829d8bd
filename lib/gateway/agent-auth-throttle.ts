// Slows down guessing of agent credentials: failed authentications on /sse, /sse/message and /mcp
// are counted per client address (lib/rate-limit), and a client that has failed too often in the
// window is refused with 429 before its credentials are even looked up — valid ones included, so
// that the limit cannot be used to tell valid tokens from invalid ones. Only failures count: a team
// whose agents authenticate never comes near it, however many calls they make.
// Counts live in this instance's memory.
import { config } from '../config';
import { AppError } from '../errors';
import { clientAddress, createRateLimiter, type RateLimiter } from '../rate-limit';

// On globalThis: Next.js may bundle this module more than once, and the counts must be one.
const state = globalThis as unknown as { aegisAgentAuthLimiter?: RateLimiter };

function limiter(): RateLimiter {
  const env = config();
  return (state.aegisAgentAuthLimiter ??= createRateLimiter({
    windowMs: env.AEGIS_AGENT_AUTH_WINDOW_SECONDS * 1000,
    max: env.AEGIS_AGENT_AUTH_MAX_FAILURES_PER_CLIENT,
  }));
}

/** The address this request's failures are counted under (see lib/rate-limit/client-address.ts). */
export function agentClient(headers: Headers): string {
  return clientAddress(headers, config().AEGIS_TRUSTED_PROXY_COUNT);
}

/** Throws a 429 AppError when the client has used up its failures for the window. */
export function assertAgentClientNotThrottled(client: string): void {
  const { allowed, retryAfterSeconds } = limiter().check(client);
  if (allowed) return;
  throw new AppError(
    'rate_limited',
    `Too many failed authentications from this address: try again in ${retryAfterSeconds} s with a valid access token`,
    { retryAfterSeconds },
  );
}

/** Counts one failed authentication for the client. */
export function agentAuthenticationFailed(client: string): void {
  limiter().hit(client);
}
