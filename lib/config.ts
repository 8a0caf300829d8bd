// Aegis configuration: every environment variable read once, validated with zod. `npm start`
// fills DATABASE_URL, NEXTAUTH_SECRET and AEGIS_ENCRYPTION_KEY from the data directory when the
// environment does not give them (see scripts/start.mjs).
import path from 'node:path';
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

// --- Repository locations and outbound connections (AEGIS_REPOSITORY_ROOTS, AEGIS_REMOTE_SCHEMES,
// AEGIS_ALLOW_PRIVATE_NETWORKS): what a user creating a room, or saving a webhook, may point at.
const repositoryRoots = z
  .string()
  .optional()
  // Unset: ./repositories (npm start creates it); set but empty: no local repositories at all.
  .transform((value) => (value === undefined ? [path.resolve('repositories')] : value.split(':').filter(Boolean)))
  .pipe(
    z.array(
      z
        .string()
        .refine((root) => path.isAbsolute(root), 'AEGIS_REPOSITORY_ROOTS must list absolute paths, separated by ":"'),
    ),
  );
const remoteSchemes = z
  .string()
  .default('https')
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.enum(['https', 'http'], {
        message:
          "AEGIS_REMOTE_SCHEMES may list https and http only (ssh and git:// are not supported: rooms have no keys of their own, and Aegis never uses the server's)",
      }),
    ),
  );
const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''], { message: 'Use true or false' })
  .default('false')
  .transform((value) => value === 'true' || value === '1');
const outboundSettings = {
  AEGIS_REPOSITORY_ROOTS: repositoryRoots,
  AEGIS_REMOTE_SCHEMES: remoteSchemes,
  AEGIS_ALLOW_PRIVATE_NETWORKS: booleanFlag,
};
// --- end of repository locations and outbound connections

// --- GitHub rooms: how Aegis paces itself against GitHub's rate limits.
const githubSettings = {
  // A rate limit that resets later than this is not waited out: the call fails and the agent is
  // told when to try again. Shorter ones (and secondary limits' Retry-After) are waited for.
  AEGIS_GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS: z.coerce.number().int().min(0).max(600).default(10),
  // Pause between write requests made with one credential (GitHub asks for one second between
  // mutating requests to stay clear of its secondary rate limits).
  AEGIS_GITHUB_WRITE_INTERVAL_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
};
// --- end of GitHub rooms

const schema = z
  .object({
    ...outboundSettings,
    ...githubSettings,
    DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
    NEXTAUTH_SECRET: z.string().min(16, 'NEXTAUTH_SECRET must be at least 16 characters'),
    AEGIS_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'AEGIS_ENCRYPTION_KEY must be 32 bytes, base64'),
    AEGIS_DATA_DIR: z.string().default('.data'),
    AEGIS_PUBLIC_URL: optionalString.pipe(z.url().optional()),
    // the dashboard's sign-in origin (npm start sets it to AEGIS_PUBLIC_URL or http://localhost:PORT)
    NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
    AEGIS_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    AEGIS_APPROVAL_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(45),
    // Approved actions: how long an instance's claim on a running execution lasts without being
    // renewed before another instance takes it over, and how often every instance sweeps for
    // such executions (and for overdue or orphaned approvals).
    AEGIS_APPROVAL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    AEGIS_APPROVAL_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
    // agent credentials: open sessions per member token
    AEGIS_MAX_SESSIONS_PER_TOKEN: z.coerce.number().int().positive().default(100),
    // how often an instance marks its sessions alive; a session unmarked for 3 beats is presumed gone
    AEGIS_SESSION_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // a Streamable HTTP session with no request and no open stream for this long is ended (reaped)
    AEGIS_MCP_SESSION_IDLE_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(30 * 60),
    // when set, /api/metrics answers only scrapers presenting it as a bearer token
    AEGIS_METRICS_TOKEN: optionalString,
    GITHUB_ID: optionalString,
    GITHUB_SECRET: optionalString,
    OIDC_ISSUER: optionalString,
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,

    // Web app hardening: database timeouts, sign-in rate limits, the client address behind proxies.
    AEGIS_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    AEGIS_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    AEGIS_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    AEGIS_SIGN_IN_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(15 * 60),
    AEGIS_SIGN_IN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(10),
    AEGIS_SIGN_IN_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().positive().default(100),
    AEGIS_TRUSTED_PROXY_COUNT: z.coerce.number().int().min(0).max(10).default(0),

    // Agent authentication failures (bad or stale tokens) allowed per client address and window.
    AEGIS_AGENT_AUTH_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(5 * 60),
    AEGIS_AGENT_AUTH_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().positive().default(100),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.GITHUB_ID) !== Boolean(env.GITHUB_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        message: 'GITHUB_ID and GITHUB_SECRET must be set together',
        path: ['GITHUB_ID'],
      });
    }
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc !== 0 && oidc !== 3) {
      ctx.addIssue({
        code: 'custom',
        message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
        path: ['OIDC_ISSUER'],
      });
    }
  });

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid Aegis configuration: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}
