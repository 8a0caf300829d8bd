// Maps what the audit routes throw to JSON error responses: AppError → its status and stable code,
// zod → 400 naming the fields, anything else → a generic 500 with a request id (logged, never shown).
// (Kept beside the audit routes for now; it belongs in a shared module once other API routes need it.)
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { AppError, isAppError } from '@/lib/errors';

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    return Response.json({ error: error.code, message: error.message }, { status: error.status });
  }
  if (error instanceof ZodError) {
    const fields = error.issues.map((issue) => ({ field: issue.path.join('.') || null, message: issue.message }));
    return Response.json(
      { error: 'invalid_input', message: fields[0]?.message ?? 'Invalid input', fields },
      { status: 400 },
    );
  }
  const requestId = randomUUID();
  console.error(`[aegis] internal error ${requestId}`, error);
  return Response.json({ error: 'internal', message: 'Internal error', requestId }, { status: 500 });
}

export const unauthenticated = () => errorResponse(new AppError('unauthenticated', 'Sign in first'));
