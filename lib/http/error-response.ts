// The one mapper from what domain code throws to JSON error responses (Web-standard Response, so
// route handlers and the gateway share it): AppError → its status and stable code, zod → 400
// naming the fields, anything else → a generic 500 with a request id (logged, never shown).
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { AppError, isAppError } from '../errors';

export function jsonError(status: number, error: string, message: string): Response {
  return Response.json({ error, message }, { status });
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) return jsonError(error.status, error.code, error.message);
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
