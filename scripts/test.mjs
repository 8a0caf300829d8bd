// `npm test`: every check and test, in order of speed — types, lint and format, unit tests
// (Vitest), then the end-to-end and integration tests (Playwright against the built app on a
// real PostgreSQL). Stops at the first failing step.
import { spawnSync } from 'node:child_process';

const steps = [
  ['types', ['npx', 'tsc', '--noEmit']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings=0']],
  ['format', ['npx', 'prettier', '--check', '.']],
  ['unit tests', ['npx', 'vitest', 'run']],
  ['end-to-end and integration tests', ['npx', 'playwright', 'test']],
];

for (const [name, [command, ...args]] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
