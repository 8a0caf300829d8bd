// Password hashing (bcrypt, via bcryptjs: pure JS, no native build) and the password rules the
// sign-up and profile forms share.
import bcrypt from 'bcryptjs';
import { z } from 'zod';

const COST = 11;
const COMMON = new Set([
  'password',
  'password1',
  'password123',
  '1234567890',
  'qwertyuiop',
  'letmein123',
  'iloveyou12',
]);

export const passwordSchema = z
  .string()
  .min(10, 'Password must be at least 10 characters')
  .max(200, 'Password must be at most 200 characters')
  .refine((p) => !COMMON.has(p.toLowerCase()), 'Password is too common')
  .refine((p) => new Set(p).size >= 5, 'Password is too simple: use more different characters');

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
