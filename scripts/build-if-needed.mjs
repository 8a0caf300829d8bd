// Builds the Next.js app when its sources changed since the last build, so `npm start` on a
// fresh clone (or after a pull) serves what is checked out. The fingerprint is over file
// names, sizes and modification times of everything the build reads.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const INPUTS = [
  'app',
  'components',
  'lib',
  'public',
  'instrumentation.ts',
  'prisma/schema.prisma',
  'next.config.mjs',
  'instrumentation.ts',
  'proxy.ts',
  'postcss.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];
const SKIP = new Set(['node_modules', '.next', 'generated']);
const STAMP = '.next/aegis-build-fingerprint';

function walk(entry, hash) {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) {
      if (!SKIP.has(name) && !name.endsWith('.test.ts')) walk(path.join(entry, name), hash);
    }
  } else {
    hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
}

export function sourceFingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) walk(input, hash);
  return hash.digest('hex');
}

export function buildIfNeeded({ log = console.log, env = process.env } = {}) {
  const fingerprint = sourceFingerprint();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint && existsSync('.next/BUILD_ID')) {
    return false;
  }
  log('Building Aegis (first start or sources changed)…');
  const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env });
  if (result.status !== 0) throw new Error('next build failed');
  writeFileSync(STAMP, fingerprint);
  return true;
}
