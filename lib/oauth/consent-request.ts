// The consent form's binding to one signed-in user and one checked authorization request: the
// request travels in the form as a short-lived JWT (jose, HS256, keyed from NEXTAUTH_SECRET), so the
// POST that approves it can only approve exactly what the page showed, for the user it was shown
// to — a forged or replayed form for another user, client, redirect URI, challenge or room is
// refused. Nothing is stored until the user approves.
import { createHash } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { config } from '../config';
import type { AuthorizationRequest } from './authorization-request';

const AUDIENCE = 'aegis:oauth-consent';
const LIFETIME_SECONDS = 10 * 60;

function key(): Uint8Array {
  return createHash('sha256').update(`aegis oauth consent\0${config().NEXTAUTH_SECRET}`).digest();
}

export async function signConsentRequest(userId: string, request: AuthorizationRequest): Promise<string> {
  return new SignJWT({ request })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(key());
}

/** The request a consent form carries, if it is genuine, unexpired and was shown to `userId`. */
export async function verifyConsentRequest(userId: string, token: string): Promise<AuthorizationRequest | null> {
  try {
    const { payload } = await jwtVerify(token, key(), { audience: AUDIENCE, algorithms: ['HS256'], subject: userId });
    return (payload.request as AuthorizationRequest) ?? null;
  } catch {
    return null;
  }
}
