// Slows down password guessing: sign-in attempts are counted per account email and per client
// address (lib/rate-limit), up front so that parallel attempts cannot slip past the count. A
// successful sign-in clears its email's count and takes its own attempt back from the client's,
// so a client is limited by its failures. Counts live in this instance's memory.
import { config } from '../config';
import { createRateLimiter, type RateLimiter } from '../rate-limit';

export type SignInAttempt = { email: string; client: string };

type Limiters = { byEmail: RateLimiter; byClient: RateLimiter };

// On globalThis: Next.js may bundle this module more than once, and the counts must be one.
const state = globalThis as unknown as { aegisSignInLimiters?: Limiters };

function limiters(): Limiters {
  if (!state.aegisSignInLimiters) {
    const env = config();
    const windowMs = env.AEGIS_SIGN_IN_WINDOW_SECONDS * 1000;
    state.aegisSignInLimiters = {
      byEmail: createRateLimiter({ windowMs, max: env.AEGIS_SIGN_IN_MAX_FAILURES_PER_EMAIL }),
      byClient: createRateLimiter({ windowMs, max: env.AEGIS_SIGN_IN_MAX_FAILURES_PER_CLIENT }),
    };
  }
  return state.aegisSignInLimiters;
}

// Emails longer than any valid one are cut, so a key's size stays bounded.
const emailKey = (email: string) => email.trim().toLowerCase().slice(0, 254);

/**
 * Counts an attempt; when the email or the client has used up its attempts for the window,
 * returns the seconds to wait (and the password must not be checked), else 0.
 */
export function beginSignInAttempt(attempt: SignInAttempt): number {
  const { byEmail, byClient } = limiters();
  const email = byEmail.hit(emailKey(attempt.email));
  const client = byClient.hit(attempt.client);
  if (email.allowed && client.allowed) return 0;
  return Math.max(email.retryAfterSeconds, client.retryAfterSeconds);
}

/** The attempt succeeded: it does not count against the account or the client. */
export function signInSucceeded(attempt: SignInAttempt): void {
  const { byEmail, byClient } = limiters();
  byEmail.reset(emailKey(attempt.email));
  byClient.reward(attempt.client);
}
