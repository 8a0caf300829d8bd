// Ends a user's other dashboard sessions when their password changes. Sessions are JWTs kept only
// by the browser, so each carries the user's `sessionVersion` from when it was issued; changing
// the password bumps the version, and a JWT with an older one is no longer accepted (next-auth
// then clears its cookie). The session that made the change is issued a new JWT at once.
import { decode, encode, type JWT } from 'next-auth/jwt';
import { config } from '../config';
import { db } from '../db';

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Thrown from the jwt callback for a session that has ended; next-auth clears the cookie. */
export class SessionEndedError extends Error {
  constructor() {
    super('This session has ended: the password was changed or the account removed');
    this.name = 'SessionEndedError';
  }
}

type VersionedToken = JWT & { sessionVersion?: number };

/** Throws SessionEndedError unless the token's user exists and its session version is current. */
export async function assertSessionCurrent(token: VersionedToken): Promise<void> {
  if (!token.sub) throw new SessionEndedError();
  const user = await db.user.findUnique({ where: { id: token.sub }, select: { sessionVersion: true } });
  // Tokens issued before versions existed carry none: they count as version 0.
  if (!user || user.sessionVersion !== (token.sessionVersion ?? 0)) throw new SessionEndedError();
}

/** The name next-auth gives the session cookie (the __Secure- prefix when served over https). */
export function sessionCookieName(): string {
  return `${secureCookies() ? '__Secure-' : ''}next-auth.session-token`;
}

function secureCookies(): boolean {
  return (process.env.NEXTAUTH_URL ?? config().AEGIS_PUBLIC_URL ?? '').startsWith('https://');
}

/** The session cookie's attributes, as next-auth sets them. */
export function sessionCookieOptions() {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: secureCookies(),
    maxAge: SESSION_MAX_AGE_SECONDS,
  };
}

/** The same session re-issued with a new session version; null when the given JWT is not valid. */
export async function reissueSessionToken(current: string, sessionVersion: number): Promise<string | null> {
  const secret = config().NEXTAUTH_SECRET;
  const token = await decode({ token: current, secret }).catch(() => null);
  if (!token) return null;
  return encode({ token: { ...token, sessionVersion }, secret, maxAge: SESSION_MAX_AGE_SECONDS });
}
