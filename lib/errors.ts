// The one error type domain code throws: a stable code plus a message that is safe to show to
// the caller. Anything else that escapes is treated as an internal error and never shown.

export const ERROR_STATUS = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_token: 401,
  forbidden: 403,
  role_not_allowed: 403,
  not_a_member: 403,
  host_not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_sessions: 429,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

// Next.js bundles server code more than once (route handlers, pages, server actions), and objects
// cached on globalThis outlive the bundle that made them: an AppError thrown by another bundle's
// class is not `instanceof` this one. A registered symbol is the same in every bundle.
const APP_ERROR_BRAND = Symbol.for('aegis.AppError');

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  readonly [APP_ERROR_BRAND] = true;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new AppError('invalid_input', message, details);
export const notFound = (message = 'Not found') => new AppError('not_found', message);
export const forbidden = (message = 'Forbidden') => new AppError('forbidden', message);
export const conflict = (message: string) => new AppError('conflict', message);

/** Recognises an AppError from any bundle: by its brand and a known code, never by `instanceof`. */
export function isAppError(error: unknown): error is AppError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { [APP_ERROR_BRAND]?: unknown; code?: unknown };
  return (
    candidate[APP_ERROR_BRAND] === true &&
    typeof candidate.code === 'string' &&
    Object.hasOwn(ERROR_STATUS, candidate.code)
  );
}
