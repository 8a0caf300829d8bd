// Every fake secret here is assembled at run time (prefix + generated characters), so this file
// itself contains nothing a secret scanner would flag.

import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { describe, expect, it } from 'vitest';

import {
  REDACTED,
  SECRETLINT_RULE_IDS,
  isSecretKey,
  redactSecret,
  redactSecretsInValue,
  scanForSecrets,
  secretlintHits,
  shannonEntropy,
} from './secret-scan';

// deterministic pseudo-random characters (mulberry32)
function fake(
  length: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  seed = 7,
): string {
  let state = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    out += alphabet[Math.floor(r * alphabet.length)];
  }
  return out;
}
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

const DASHES = '-'.repeat(5);
const pem = (type: string, seed = 3, newline = '\n') => {
  const body = `MI${fake(62, BASE64, seed)}${newline}${fake(64, BASE64, seed + 1)}${newline}${fake(40, BASE64, seed + 2)}==`;
  const label = `${type ? `${type} ` : ''}PRIVATE KEY`;
  return `${DASHES}BEGIN ${label}${DASHES}${newline}${body}${newline}${DASHES}END ${label}${DASHES}`;
};

const secrets = {
  aws: 'AK' + 'IA' + fake(16, BASE32, 11),
  ghp: 'gh' + 'p_' + fake(36, undefined, 12),
  gho: 'gh' + 'o_' + fake(36, undefined, 13),
  ghFine: 'github' + '_pat_' + fake(22, undefined, 14) + '_' + fake(59, undefined, 15),
  slack: 'xo' + 'xb-' + '1234567890123-' + '9876543210987-' + fake(24, undefined, 16),
  slackWebhook:
    'https://hooks.slack' +
    '.com/services/T' +
    fake(8, BASE32, 17) +
    '/B' +
    fake(8, BASE32, 18) +
    '/' +
    fake(24, undefined, 19),
  npm: 'np' + 'm_' + fake(36, undefined, 20),
  room: 'aeg' + 'is_' + fake(43, BASE64URL, 21),
  google: 'AI' + 'za' + fake(35, BASE64URL, 22),
  stripe: 'sk' + '_live_' + fake(24, undefined, 23),
  password: fake(14, 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%', 24),
  apiKey: fake(32, 'abcdef0123456789', 25),
};

const scan = (content: string, path = 'src/config.ts') => scanForSecrets([{ path, content }]);
const kinds = (content: string, path?: string) => scan(content, path).map((f) => f.kind);

describe('scanForSecrets: true positives', () => {
  it.each([
    ['RSA', ''],
    ['OPENSSH', 'OPENSSH'],
    ['EC', 'EC'],
    ['PKCS#8', ''],
  ])('finds a PEM private key (%s)', (_, type) => {
    const content = `const key = \`${pem(type)}\`;\n`;
    const findings = scan(content);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      path: 'src/config.ts',
      line: 1,
      kind: 'private key',
      ruleId: 'aegis/private-key',
    });
    expect(findings[0]!.redacted).toBe(`BEGIN ${type ? `${type} ` : ''}PRIVATE KEY…`);
  });

  it('finds a private key inside a JSON string (escaped newlines) and an encrypted one', () => {
    expect(kinds(`{"private_key": "${pem('RSA', 5, '\\n')}"}`, 'sa.json')).toContain('private key');
    const encrypted = `${DASHES}BEGIN ENCRYPTED PRIVATE KEY${DASHES}\n${fake(64, BASE64, 9)}\n${DASHES}END ENCRYPTED PRIVATE KEY${DASHES}`;
    expect(kinds(encrypted, 'key.pem')).toEqual(['private key']);
  });

  it('finds an AWS access key', () => {
    const findings = scan(`aws_access_key_id = ${secrets.aws}\n`);
    expect(findings).toEqual([
      {
        path: 'src/config.ts',
        line: 1,
        kind: 'AWS access key',
        ruleId: 'aegis/aws-access-key',
        redacted: `${secrets.aws.slice(0, 4)}…${secrets.aws.slice(-4)}`,
      },
    ]);
  });

  it.each([
    ['classic GitHub token', secrets.ghp, 'GitHub token'],
    ['GitHub OAuth token', secrets.gho, 'GitHub token'],
    ['fine-grained GitHub token', secrets.ghFine, 'GitHub token'],
    ['Slack bot token', secrets.slack, 'Slack token'],
    ['Slack webhook', secrets.slackWebhook, 'Slack webhook URL'],
    ['npm token', secrets.npm, 'npm token'],
    ['Aegis room token', secrets.room, 'Aegis room token'],
    ['Google API key', secrets.google, 'Google API key'],
    ['Stripe live key', secrets.stripe, 'Stripe secret key'],
  ])('finds a %s', (_, secret, kind) => {
    const findings = scan(`// setup\nconst value = "${secret}";\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 2, kind });
    expect(findings[0]!.redacted).toBe(`${secret.slice(0, 4)}…${secret.slice(-4)}`);
    expect(findings[0]!.redacted).not.toContain(secret.slice(4, -4));
  });

  it('finds a token in a URL query and an Aegis token in an MCP config', () => {
    expect(kinds(`curl "https://api.example.com/v1?token=${secrets.apiKey}"`)).toEqual(['hard-coded credential']);
    const mcp = JSON.stringify({
      url: `https://aegis.example.com/sse?user_id=u1&room_id=r1&access_token=${secrets.room}`,
    });
    expect(kinds(mcp, '.cursor/mcp.json')).toContain('Aegis room token');
  });

  it.each([
    ['password = "…" (Python)', `password = "${secrets.password}"`],
    ["const dbPassword = '…' (JS)", `const dbPassword = '${secrets.password}';`],
    ['API_KEY: … (YAML, unquoted)', `API_KEY: ${secrets.apiKey}`],
    ['API_KEY=… (.env)', `API_KEY=${secrets.apiKey}`],
    ['"client_secret": "…" (JSON)', `{"client_secret": "${secrets.apiKey}"}`],
    ['clientSecret: "…" (TS object)', `  clientSecret: "${secrets.password}",`],
    ['secret_key_base = "…" (Ruby)', `secret_key_base = "${secrets.apiKey}"`],
    ['Password := "…" (Go)', `Password := "${secrets.password}"`],
    ['"access_token" => "…" (PHP)', `'access_token' => '${secrets.apiKey}',`],
    ['DB_PASSWORD=… (.env, unquoted)', `DB_PASSWORD=${secrets.password}`],
  ])('finds a hard-coded credential: %s', (_, line) => {
    const findings = scan(`# config\n${line}\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ line: 2, kind: 'hard-coded credential', ruleId: 'aegis/generic-credential' });
  });

  it('reports the line of each finding and every file', () => {
    const findings = scanForSecrets([
      { path: 'a.ts', content: `one\ntwo\nconst t = "${secrets.ghp}";\nfour\nconst n = "${secrets.npm}";\n` },
      { path: 'b.env', content: `NPM_TOKEN=${secrets.npm}\n` },
      { path: 'c.md', content: '' },
    ]);
    expect(findings.map((f) => [f.path, f.line, f.kind])).toEqual([
      ['a.ts', 3, 'GitHub token'],
      ['a.ts', 5, 'npm token'],
      ['b.env', 1, 'npm token'],
    ]);
  });

  it('merges overlapping detections into one finding', () => {
    // both Aegis and secretlint know GitHub tokens; the generic detector sees the assignment
    const findings = scan(`GITHUB_TOKEN=${secrets.ghp}\n`);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.kind).toBe('GitHub token');
  });

  it('finds what only secretlint knows (e.g. a password in a database URL)', () => {
    const url = `postgres://app:${secrets.password.replace(/[^A-Za-z0-9]/g, 'x')}@db.internal:5432/app`;
    const findings = scan(`DATABASE_URL=${url}\n`, '.env');
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.redacted).join(' ')).not.toContain(secrets.password.replace(/[^A-Za-z0-9]/g, 'x'));
  });

  it('cannot be switched off by secretlint-disable comments in the content', () => {
    const content = `// secretlint-disable\nconst t = "${secrets.ghp}";\n// secretlint-enable\n`;
    expect(SECRETLINT_RULE_IDS).not.toContain('@secretlint/secretlint-rule-filter-comments');
    expect(secretlintHits(content, 'a.ts').map((h) => h.ruleId)).toContain('@secretlint/secretlint-rule-github');
    expect(kinds(content)).toEqual(['GitHub token']);
  });

  it('never puts a whole secret into a finding', () => {
    const content = Object.values(secrets)
      .map((s, i) => `const secret${i} = "${s}";`)
      .join('\n');
    const findings = scan(`${content}\n${pem('RSA')}\n`);
    expect(findings).toHaveLength(Object.keys(secrets).length + 1);
    const serialized = JSON.stringify(findings);
    for (const secret of Object.values(secrets)) expect(serialized).not.toContain(secret);
  });
});

describe('scanForSecrets: ordinary code does not trip it', () => {
  it.each([
    ['reading a password from the environment', 'password = getenv("DB_PASSWORD")'],
    ['process.env', 'const password = process.env.DB_PASSWORD;'],
    ['os.environ', 'password = os.environ["DB_PASSWORD"]'],
    ['awaiting a login', 'const token = await login()'],
    ['a function call', 'const apiKey = loadApiKey(config);'],
    ['a property path', 'Password: cfg.Database.Password,'],
    ['a template reference', 'password: ${DB_PASSWORD}'],
    ['a GitHub Actions secret', 'token: ${{ secrets.GITHUB_TOKEN }}'],
    ['a shell variable', 'export NPM_TOKEN=$NPM_TOKEN'],
    ['a comparison', 'if (password === confirmPassword) {'],
    ['a type annotation', 'apiKey: string | undefined;'],
    ['a parameter list', 'def login(username, password):'],
    ['metadata about a token', 'token_type = "bearer_with_refresh"'],
    ['a header name', "const API_KEY_HEADER = 'X-Api-Key-Header';"],
    ['a secret name', 'secret_name = "prod-database-credentials"'],
    ['an expiry', 'TOKEN_EXPIRY_SECONDS=86400'],
    ['a count', 'MAX_TOKENS=4096'],
    ['a prefix constant', "export const GITHUB_TOKEN_PREFIX = 'ghp_';"],
    ['a placeholder', 'password = "changeme"'],
    ['a placeholder', 'api_key: "your-api-key-here"'],
    ['a masked value', 'password: "********"'],
    ['a bcrypt hash', 'password_hash = "$2b$12$abcdefghijklmnopqrstuv"'],
    ['a sentence', 'const passwordHint = "Use at least twelve characters";'],
    ['a tokenizer', 'const tokenizer = new Tokenizer(options);'],
    ['a secretary', 'const secretary = "Jane Doe";'],
    ['a UUID', 'const id = "550e8400-e29b-41d4-a716-446655440000";'],
    ['a bare UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['a git SHA', 'commit: 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['a git SHA assigned to a ref', 'const headSha = "9fceb02d0ae598e95dc970b74767f19372d61af8";'],
    [
      'lorem ipsum',
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.',
    ],
    [
      'a small base64 image',
      '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==" />',
    ],
    [
      'an integrity hash',
      '"integrity": "sha512-v2kDEe57lecTulaDIuNTPy3Ry4gLGJ6Z1O3vE1krgXZNrsQ+LFTGHVxVjcXPs17LhbZVGedAJv8XZ1tvj5FvSg=="',
    ],
    ['an AWS documentation key', `aws_access_key_id = ${'AKIA' + 'IOSFODNN7' + 'EXAMPLE'}`],
    ['code handling PEM headers', `if (pem.startsWith('${DASHES}BEGIN PRIVATE KEY${DASHES}')) return parsePkcs8(pem);`],
    ['a long snake_case identifier after aegis_', 'const x = aegis_room_token_length_in_characters_for_the_gateway;'],
    ['a Slack channel link', 'see https://example.slack.com/archives/C0123456789'],
    ['a TypeScript non-null environment read', 'const password = process.env.SESSION_PASSWORD!;'],
    ['a username for token auth', "export const TOKEN_USERNAME = 'x-access-token';"],
    ['a slug', "const token = 'aegis_wrong';"],
    ['a type', 'const SECRET_KINDS: Record<string, string> = {};'],
    ['an all-caps word containing SECRET', 'const SECRETLINT_RULES = rules.filter(isScanner);'],
  ])('%s', (_, line) => {
    expect(scan(`${line}\n`)).toEqual([]);
  });

  it('does not flag a realistic source file', () => {
    const source = [
      "import { createHash } from 'node:crypto';",
      '',
      'export async function signIn(email: string, password: string) {',
      '  const user = await db.user.findUnique({ where: { email } });',
      '  if (!user || !(await verifyPassword(password, user.passwordHash))) {',
      "    throw new Error('Invalid email or password');",
      '  }',
      '  const token = createHash("sha256").update(user.id).digest("hex");',
      '  return { token, expiresIn: 3600 };',
      '}',
    ].join('\n');
    expect(scan(source, 'src/auth/sign-in.ts')).toEqual([]);
  });

  it('stays fast on a large file without secrets', () => {
    const content = `${'const value_token_secret_password = x;\n'.repeat(20_000)}${'a'.repeat(200_000)}`;
    const started = performance.now();
    expect(scan(content)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('the secretlint driver matches secretlint’s own engine', () => {
  const samples: [string, string][] = [
    ['src/a.ts', `const t = "${secrets.ghp}";\nconst f = "${secrets.ghFine}";`],
    ['src/b.ts', `const s = "${secrets.slack}";\nconst w = "${secrets.slackWebhook}";`],
    ['.npmrc', `//registry.npmjs.org/:_authToken=${secrets.npm}\n`],
    ['key.pem', pem('RSA')],
    ['config.yml', `url: https://admin:${'S3cr3t' + 'Passw0rd'}@example.com/path\n`],
    ['.env', `DATABASE_URL=postgres://app:${'pa55' + 'w0rd' + 'Xyz'}@db.example.com:5432/app\n`],
    ['aws.ini', `aws_secret_access_key = ${fake(40, BASE64, 30)}\n`],
    ['plain.txt', 'nothing to see here\n'],
  ];

  it.each(samples)('%s', async (path, content) => {
    const viaEngine = await lintSource({
      source: { filePath: path, content, ext: path.slice(path.lastIndexOf('.')), contentType: 'text' },
      options: {
        noPhysicFilePath: true,
        config: {
          rules: [
            {
              id: '@secretlint/secretlint-rule-preset-recommend',
              rule: recommendedPreset,
              rules: [{ id: '@secretlint/secretlint-rule-filter-comments', disabled: true }],
            },
          ],
        },
      },
    });
    const expected = viaEngine.messages.map((m) => `${m.ruleId}@${m.range[0]}-${m.range[1]}`).sort();
    const actual = secretlintHits(content, path)
      .map((h) => `${h.ruleId}@${h.start}-${h.end}`)
      .sort();
    expect(actual).toEqual(expected);
    if (path !== 'plain.txt') expect(actual.length).toBeGreaterThan(0);
  });
});

describe('redaction helpers', () => {
  it('redactSecret keeps a hint, never the secret', () => {
    expect(redactSecret('AKIA' + 'ABCDEFGH' + 'IJKLMPLE')).toBe('AKIA…MPLE');
    expect(redactSecret('abcdefghijkl')).toBe('ab…');
    expect(redactSecret('short')).toBe('…');
  });

  it('shannonEntropy measures bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('recognises secret-like keys', () => {
    for (const key of [
      'password',
      'Password',
      'db_password',
      'accessToken',
      'refresh_token',
      'apiKey',
      'API_KEY',
      'Authorization',
      'client_secret',
      'X-Aegis-Token',
      'cookie',
      'privateKey',
      'credentials',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of [
      'author',
      'tokenCount',
      'secretFindings',
      'passwordPolicy',
      'path',
      'content',
      'branch',
      'tokens_used',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('redactSecretsInValue deep-copies and scrubs secrets', () => {
    const input = {
      tool: 'push_files',
      branch: 'aegis/fix',
      password: 'hunter2',
      headers: { Authorization: 'Bearer abc', accept: 'json' },
      files: [
        { path: 'a.ts', content: `const ok = 1;\nconst t = "${secrets.ghp}";\nconst also = 2;` },
        { path: 'b.ts', content: 'export {};' },
      ],
      nested: { deeper: { apiKey: { id: 1 }, note: `key ${secrets.aws} here` } },
      when: new Date('2025-01-02T03:04:05Z'),
      count: 3,
      flag: true,
      nothing: null,
      skipped: undefined,
      fn: () => 1,
      emptyToken: '',
    };
    const copy = redactSecretsInValue(input) as Record<string, unknown>;
    expect(copy).toEqual({
      tool: 'push_files',
      branch: 'aegis/fix',
      password: REDACTED,
      headers: { Authorization: REDACTED, accept: 'json' },
      files: [
        { path: 'a.ts', content: `const ok = 1;\nconst t = "${REDACTED}";\nconst also = 2;` },
        { path: 'b.ts', content: 'export {};' },
      ],
      nested: { deeper: { apiKey: REDACTED, note: `key ${REDACTED} here` } },
      when: '2025-01-02T03:04:05.000Z',
      count: 3,
      flag: true,
      nothing: null,
      emptyToken: '',
    });
    // the input is untouched
    expect(input.password).toBe('hunter2');
    expect(input.files[0]!.content).toContain(secrets.ghp);
  });

  it('redactSecretsInValue handles arrays, cycles, binary data and plain strings', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(redactSecretsInValue(cyclic)).toEqual({ name: 'x', self: '[Circular]' });
    expect(redactSecretsInValue([secrets.npm, 1, undefined])).toEqual([REDACTED, 1, null]);
    expect(redactSecretsInValue(new Uint8Array(4))).toBe('[binary 4 bytes]');
    expect(redactSecretsInValue(`token=${secrets.apiKey}`)).toBe(`token=${REDACTED}`);
    expect(redactSecretsInValue('plain text')).toBe('plain text');
    expect(redactSecretsInValue(10n)).toBe('10');
    const shared = { a: 1 };
    expect(redactSecretsInValue({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });
});
