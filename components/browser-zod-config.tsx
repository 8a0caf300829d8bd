'use client';

import { z } from 'zod';

// Zod compiles its object parsers with `new Function` where eval is allowed, and probes for that
// first; under the pages' Content-Security-Policy (no 'unsafe-eval') the probe is reported as a
// violation. The browser's few parses need no compiled parsers, so they run without. Only in the
// browser: the setting is global, and the server (the gateway's argument parsing) keeps its speed.
if (typeof window !== 'undefined') z.config({ jitless: true });

/** Rendered once in the root layout, so that this module runs before any client component parses. */
export function BrowserZodConfig() {
  return null;
}
