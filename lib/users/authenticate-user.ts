// Credentials sign-in: the user for an email and password, or null. Compares a hash even for
// unknown emails so the response time does not tell which emails have accounts.
import { db } from '../db';
import { verifyPassword } from '../auth/password';
import { signInSchema } from './schemas';

const DUMMY_HASH = '$2b$11$.ScSuyrAlOq.N6BLIA.zMe31SJqabXnjx7qvsPElohXpKuROlwUFa';

export async function authenticateUser(email: string, password: string) {
  const parsed = signInSchema.safeParse({ email, password });
  if (!parsed.success) return null;
  const user = await db.user.findUnique({
    where: { email: parsed.data.email },
    select: { id: true, name: true, email: true, passwordHash: true, sessionVersion: true },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !user.passwordHash || !ok) return null;
  return { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion };
}
