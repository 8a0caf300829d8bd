import { describe, expect, it, vi } from 'vitest';
import { AppError, isAppError } from './errors';

describe('isAppError', () => {
  it('recognises an AppError built by another copy of the module (another Next.js bundle)', async () => {
    vi.resetModules();
    // A query string makes the module load again: a second copy of the class, as in another bundle.
    const copy = './errors.ts?another-bundle';
    const other = (await import(/* @vite-ignore */ copy)) as typeof import('./errors');
    const foreign = new other.AppError('not_found', 'No such file');
    expect(foreign instanceof AppError).toBe(false);
    expect(isAppError(foreign)).toBe(true);
  });

  it('does not take look-alikes for domain errors', () => {
    expect(isAppError(new AppError('conflict', 'x'))).toBe(true);
    expect(isAppError(Object.assign(new Error('x'), { code: 'not_found', name: 'AppError' }))).toBe(false);
    expect(isAppError({ code: 'ENOENT' })).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError('not_found')).toBe(false);
  });
});
