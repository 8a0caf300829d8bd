// The signed-in user for server components, route handlers and server actions.
import { getServerSession } from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '../db';
import { authOptions } from './auth-options';
import { reissueSessionToken, sessionCookieName, sessionCookieOptions } from './session-version';

export type SessionUser = { id: string; name: string; email: string };

/** The signed-in user, or null. A session for a user that no longer exists counts as none. */
export async function currentUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, name: true, email: true } });
}

/** The signed-in user; redirects to the sign-in page otherwise. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  return user;
}

/**
 * For a server action that changed the user's session version (a password change): re-issues
 * this request's session with the new version, so that only the other sessions end. Without a
 * readable session cookie (next-auth splits very large ones), this session ends too.
 */
export async function keepThisSession(sessionVersion: number): Promise<void> {
  const store = await cookies();
  const name = sessionCookieName();
  const current = store.get(name)?.value;
  const fresh = current ? await reissueSessionToken(current, sessionVersion) : null;
  if (fresh) store.set(name, fresh, sessionCookieOptions());
}
