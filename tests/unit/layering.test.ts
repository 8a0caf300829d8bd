// Keeps the layering honest: the domain under lib/ never imports Next.js or React (lib/auth is
// the one adapter to next-auth and is allowed to).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const FRAMEWORK_IMPORT = /from\s+['"](next|next\/[^'"]+|react|react-dom|next-auth|next-auth\/[^'"]+)['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'generated' || name === 'auth') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

it('nothing under lib/ (but lib/auth) imports Next.js or React', () => {
  const offenders = sourceFiles('lib').filter((file) => FRAMEWORK_IMPORT.test(readFileSync(file, 'utf8')));
  expect(offenders).toEqual([]);
});
