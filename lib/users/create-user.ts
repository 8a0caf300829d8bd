// Sign-up: creates a user with a hashed password; a duplicate email is a clear conflict.
import { db } from '../db';
import { AppError } from '../errors';
import { hashPassword } from '../auth/password';
import { Prisma } from '../generated/prisma/client';
import { signUpSchema, type SignUpInput } from './schemas';

export const publicUserSelect = { id: true, name: true, email: true, createdAt: true } as const;

export async function createUser(input: SignUpInput) {
  const { name, email, password } = signUpSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    return await db.user.create({ data: { name, email, passwordHash }, select: publicUserSelect });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw new AppError('conflict', 'An account with this email already exists', { field: 'email' });
    }
    throw error;
  }
}
