import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'tests/unit/**/*.test.ts'],
    globalSetup: ['tests/vitest-global-setup.ts'],
    setupFiles: ['tests/vitest-env.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
