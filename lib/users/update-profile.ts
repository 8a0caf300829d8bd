// Settings → Profile: change the acting user's name or password (which ends the user's other sessions).
import { db } from '../db';
import { invalid, notFound } from '../errors';
import { hashPassword, verifyPassword } from '../auth/password';
import { changePasswordSchema, updateProfileSchema } from './schemas';
import { publicUserSelect } from './create-user';

export async function getUserProfile(userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: publicUserSelect });
  if (!user) throw notFound('User not found');
  return user;
}

export async function updateProfile(userId: string, input: { name: string }) {
  const { name } = updateProfileSchema.parse(input);
  return db.user.update({ where: { id: userId }, data: { name }, select: publicUserSelect });
}

export async function changePassword(
  userId: string,
  input: { currentPassword: string; newPassword: string; confirmPassword: string },
) {
  const { currentPassword, newPassword } = changePasswordSchema.parse(input);
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw notFound('User not found');
  if (!user.passwordHash || !(await verifyPassword(currentPassword, user.passwordHash))) {
    throw invalid('Current password is wrong', { field: 'currentPassword' });
  }
  // A new session version ends every other dashboard session (lib/auth/session-version.ts).
  const updated = await db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(newPassword), sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return { sessionVersion: updated.sessionVersion };
}
