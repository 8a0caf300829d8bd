// Keeps the policy module honest: pure domain code with no framework, database, clock, randomness
// or I/O, and no secrets in its own source (the tests build their fake secrets at run time).

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { scanForSecrets } from './secret-scan';

const dir = import.meta.dirname;
const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
const sources = files.filter((name) => !name.endsWith('.test.ts'));
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('lib/policy layering', () => {
  it.each(sources)('%s imports no framework, database or I/O module', (name) => {
    const imports = [...read(name).matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
    for (const specifier of imports) {
      expect(specifier, `${name} imports ${specifier}`).not.toMatch(
        /^(next|react|react-dom|next-auth|@prisma|pg)(\/|$)/,
      );
      expect(specifier, `${name} imports ${specifier}`).not.toMatch(/^(node:)?(fs|child_process|net|http|https)(\/|$)/);
      expect(specifier, `${name} imports ${specifier}`).not.toMatch(/(^|\/)db$/);
    }
  });

  it.each(sources)('%s never reads the clock, randomness or the environment', (name) => {
    const code = read(name)
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|process\.env/);
  });

  it('contains no secrets in its own source', () => {
    const findings = scanForSecrets(files.map((name) => ({ path: name, content: read(name) })));
    expect(findings).toEqual([]);
  });
});
