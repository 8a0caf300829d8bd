// The signed-in user for server components, route handlers and server actions.
import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { db } from '../db';
import { authOptions } from './auth-options';

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
