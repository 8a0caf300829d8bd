// Aegis configuration: every environment variable read once, validated with zod. `npm start`
// fills DATABASE_URL, NEXTAUTH_SECRET and AEGIS_ENCRYPTION_KEY from the data directory when the
// environment does not give them (see scripts/start.mjs).
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z
  .object({
    DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
    NEXTAUTH_SECRET: z.string().min(16, 'NEXTAUTH_SECRET must be at least 16 characters'),
    AEGIS_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'AEGIS_ENCRYPTION_KEY must be 32 bytes, base64'),
    AEGIS_DATA_DIR: z.string().default('.data'),
    AEGIS_PUBLIC_URL: optionalString.pipe(z.url().optional()),
    AEGIS_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    AEGIS_APPROVAL_WAIT_SECONDS: z.coerce.number().int().min(0).max(3600).default(45),
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
