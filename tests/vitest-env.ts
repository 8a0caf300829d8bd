// Runs in every Vitest worker before the tests: the environment the global setup prepared.
import { inject } from 'vitest';

Object.assign(process.env, inject('aegisEnv'));
