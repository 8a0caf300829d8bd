// Finds secrets in pushed content, so a rule can block the push before it reaches the repository,
// and scrubs secrets out of values before they are written to the audit log.
//
// Two scanners run on every file:
//   1. Aegis's own patterns for the token shapes that matter most here (PEM private keys, AWS
//      access keys, GitHub, Slack and npm tokens, Google API keys, Stripe live keys, Aegis room
//      tokens) plus a generic detector for high-entropy values assigned to secret-like names
//      (`password = "…"`, `API_KEY: …`, `"client_secret": "…"`).
//   2. The rules of secretlint's recommended preset, minus `filter-comments`: with that rule, a
//      pushed file containing `secretlint-disable` would switch the scanner off for itself.
//
// secretlint's engine (`lintSource` in @secretlint/core) is async only, but every scanning rule of
// the preset reports synchronously from its `file()` handler. So this module drives the rules
// itself through secretlint's public rule API (@secretlint/types: create(context) → file(source)),
// which keeps scanning — and so policy evaluation — synchronous. The one asynchronous code path
// in the preset (GCP .p12 files, which reads the file from disk by its path) is never reached: no
// source given to a rule has a `.p12` extension, and a handler that still returns a promise is an
// error (evaluation fails closed). The tests compare this driver with `lintSource`.
//
// A finding never carries the secret: only its location, what it looks like and a redacted form
// (`AKIA…MPLE`).

import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintRuleContext,
  SecretLintRuleCreator,
  SecretLintRuleLocalizeMessages,
  SecretLintRuleReportDescriptor,
  SecretLintSourceCode,
  SecretLintSourceNodeLocation,
  SecretLintSourceNodePosition,
} from '@secretlint/types';

export type Finding = {
  /** The file the secret is in. */
  path: string;
  /** 1-based line of the secret's start. */
  line: number;
  /** What it looks like, e.g. "GitHub token". */
  kind: string;
  /** The detector: `aegis/<name>` or a secretlint rule id. */
  ruleId: string;
  /** A few characters of the secret around an ellipsis, never the secret itself. */
  redacted: string;
};

export type ScannedFile = { path: string; content: string };

type Hit = {
  start: number;
  end: number;
  kind: string;
  ruleId: string;
  redacted: string;
};

// ---------------------------------------------------------------------------------------------
// Helpers

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function characterClasses(value: string): number {
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes;
}

/**
 * A recognisable hint of a secret without the secret: the first and last four characters of a
 * long value (`AKIA…MPLE`), the first two of a medium one, nothing of a short one.
 */
export function redactSecret(secret: string): string {
  const value = secret.trim();
  if (value.length >= 16) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  if (value.length >= 10) return `${value.slice(0, 2)}…`;
  return '…';
}

function lineStarts(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf('\n'); i !== -1; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and 0-based column of `index`, by binary search over line starts. */
function positionOf(starts: number[], index: number): SecretLintSourceNodePosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: index - starts[lo]! };
}

// ---------------------------------------------------------------------------------------------
// Aegis's token patterns

type TokenPattern = {
  ruleId: string;
  kind: string;
  regex: RegExp;
  /** Extra check on the matched secret (group 1, or the whole match). */
  accept?: (secret: string) => boolean;
};

const TOKEN_PATTERNS: readonly TokenPattern[] = [
  {
    ruleId: 'aegis/aws-access-key',
    kind: 'AWS access key',
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b/g,
    // AWS's documentation keys all end in EXAMPLE (AKIAIOSFODNN7EXAMPLE)
    accept: (secret) => !secret.endsWith('EXAMPLE'),
  },
  {
    ruleId: 'aegis/github-token',
    kind: 'GitHub token',
    regex: /\b(gh[pousr]_[A-Za-z0-9]{36,251})\b/g,
  },
  {
    ruleId: 'aegis/github-token',
    kind: 'GitHub token',
    regex: /\b(github_pat_[A-Za-z0-9_]{50,255})\b/g,
  },
  {
    ruleId: 'aegis/slack-token',
    kind: 'Slack token',
    regex: /\b(xox[abposre]-(?:[0-9]+-)+[A-Za-z0-9]{8,}(?:-[A-Za-z0-9]+)*)/g,
  },
  {
    ruleId: 'aegis/slack-token',
    kind: 'Slack token',
    regex: /\b(xapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]{16,})/g,
  },
  {
    ruleId: 'aegis/slack-webhook',
    kind: 'Slack webhook URL',
    regex: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,})/g,
  },
  {
    ruleId: 'aegis/npm-token',
    kind: 'npm token',
    regex: /\b(npm_[A-Za-z0-9]{36})\b/g,
  },
  {
    ruleId: 'aegis/google-api-key',
    kind: 'Google API key',
    regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    ruleId: 'aegis/stripe-key',
    kind: 'Stripe secret key',
    regex: /\b((?:sk|rk)_live_[0-9A-Za-z]{20,247})\b/g,
  },
  {
    ruleId: 'aegis/room-token',
    kind: 'Aegis room token',
    regex: /(?<![A-Za-z0-9_-])(aegis_[A-Za-z0-9_-]{43,})/g,
    // random base64url mixes cases and digits; a long snake_case identifier does not
    accept: (secret) => {
      const body = secret.slice('aegis_'.length);
      const mixed = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(body)).length;
      return mixed >= 2 && shannonEntropy(body) >= 4;
    },
  },
];

const PRIVATE_KEY_HEADER = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY(?: BLOCK)?-----/g;
const KEY_BODY_WINDOW = 512;

function findPrivateKeys(content: string, hits: Hit[]): void {
  PRIVATE_KEY_HEADER.lastIndex = 0;
  for (let m = PRIVATE_KEY_HEADER.exec(content); m; m = PRIVATE_KEY_HEADER.exec(content)) {
    // A header alone is code that handles keys; a key has a base64 body right after it (possibly
    // behind `Proc-Type:` headers, or `\n` escapes inside a JSON string).
    const after = content.slice(m.index + m[0].length, m.index + m[0].length + KEY_BODY_WINDOW);
    const body = /[A-Za-z0-9+/]{40,}/.exec(after.replace(/\\[nr]/g, '  '));
    if (!body || !/[0-9]/.test(body[0]) || !/[a-z]/.test(body[0]) || !/[A-Z]/.test(body[0])) continue;
    hits.push({
      start: m.index,
      end: m.index + m[0].length + body.index + body[0].length,
      kind: 'private key',
      ruleId: 'aegis/private-key',
      redacted: `BEGIN ${m[1] ?? ''}PRIVATE KEY…`,
    });
  }
}

function findTokens(content: string, hits: Hit[]): void {
  for (const pattern of TOKEN_PATTERNS) {
    pattern.regex.lastIndex = 0;
    for (let m = pattern.regex.exec(content); m; m = pattern.regex.exec(content)) {
      const secret = m[1] ?? m[0];
      if (pattern.accept && !pattern.accept(secret)) continue;
      const start = m.index + m[0].indexOf(secret);
      hits.push({
        start,
        end: start + secret.length,
        kind: pattern.kind,
        ruleId: pattern.ruleId,
        redacted: redactSecret(secret),
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Generic credentials: a high-entropy value assigned to a secret-like name

const SECRET_WORDS =
  /password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|credentials?/gi;

/** Name suffixes that describe a secret instead of holding one: `token_type`, `passwordField`. */
const METADATA_SUFFIX =
  /^s?[_.-]?(?:name|type|field|label|length|len|count|id|url|uri|path|file|header|prefix|placeholder|hint|policy|regex|pattern|format|version|expiry|expires(?:[_-]?(?:at|in))?|ttl|endpoint|env|var|hash|digest|kind|mode|index|idx|size|limit|key[_-]?id|min|max|user|username|login|email|owner|scopes?|audience|issuer|algorithm|alg|source)$/i;

const NAME_CHAR = /[A-Za-z0-9_.-]/;
const MAX_NAME = 64;
const MIN_VALUE = 8;
const MAX_VALUE = 512;
const ENTROPY_THRESHOLD = 3;
const IDENTIFIER_ENTROPY_THRESHOLD = 3.5;

const PLACEHOLDER =
  /^(?:x+|\*+|\.+|-+|changeme|change[_-]?me|password|passw0rd|secret|token|null|none|nil|undefined|true|false|required|optional|redacted|\[redacted\]|example.*|dummy.*|sample.*|fake.*|test.*|your[_-].*|my[_-].*|placeholder.*|todo.*|xxx.*)$/i;

const CODE_WORDS = new Set([
  'await',
  'new',
  'null',
  'none',
  'nil',
  'undefined',
  'true',
  'false',
  'function',
  'require',
  'import',
  'return',
  'this',
  'self',
  'lambda',
  'async',
]);

const isUpper = (ch: string | undefined) => ch !== undefined && ch >= 'A' && ch <= 'Z';
const isLower = (ch: string | undefined) => ch !== undefined && ch >= 'a' && ch <= 'z';
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isSeparator = (ch: string | undefined) => ch === '_' || ch === '.' || ch === '-';

function looksLikeSecretValue(value: string, quoted: boolean): boolean {
  if (value.length < MIN_VALUE || value.length > MAX_VALUE) return false;
  if (/\s/.test(value)) return false;
  // references, templates and interpolations: ${VAR}, $VAR, %VAR%, {{ var }}, <value>
  if (/^[$%<{]/.test(value) || value.includes('${') || value.includes('{{')) return false;
  if (/[()[\]{}]/.test(value)) return false; // a call or an expression
  if (PLACEHOLDER.test(value)) return false;
  // lowercase words like x-access-token or prod-database-credentials name things; they are not
  // random (a passphrase made only of lowercase words is the price of this)
  if (/^[a-z]+(?:[-_.][a-z]+)*$/.test(value)) return false;
  if (/^(?:https?|file):\/\/[^@]*$/i.test(value)) return false; // a URL without credentials
  if (/^\.{0,2}\/[\w./-]*$/.test(value)) return false; // a file path
  if (!quoted) {
    if (CODE_WORDS.has(value.toLowerCase())) return false;
    if (/[<>|]/.test(value)) return false; // a type (Record<string, string>) or markup
    // a property path like config.db.password or process.env.DB_PASSWORD! (TypeScript non-null)
    if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[!?]?$/.test(value)) return false;
    // a bare identifier is a variable unless it looks random
    if (
      /^[A-Za-z_$][\w$]*$/.test(value) &&
      (!/[0-9]/.test(value) || shannonEntropy(value) < IDENTIFIER_ENTROPY_THRESHOLD)
    ) {
      return false;
    }
  }
  if (characterClasses(value) < 2) return false;
  return shannonEntropy(value) >= ENTROPY_THRESHOLD;
}

function findGenericCredentials(content: string, hits: Hit[]): void {
  SECRET_WORDS.lastIndex = 0;
  for (let m = SECRET_WORDS.exec(content); m; m = SECRET_WORDS.exec(content)) {
    const wordStart = m.index;
    const wordEnd = m.index + m[0].length;

    // the whole name around the word, bounded so a long run of name characters stays linear
    let nameStart = wordStart;
    while (nameStart > 0 && wordStart - nameStart < MAX_NAME && NAME_CHAR.test(content[nameStart - 1]!)) nameStart--;
    let nameEnd = wordEnd;
    while (nameEnd < content.length && nameEnd - wordEnd < MAX_NAME && NAME_CHAR.test(content[nameEnd]!)) nameEnd++;
    const name = content.slice(nameStart, nameEnd);
    const upperSnake = /^[A-Z0-9_.-]+$/.test(name);

    // the word must be a part of the name, not inside another word (tokenizer, secretary)
    const before = content[wordStart - 1];
    const first = content[wordStart];
    // (in an all-caps name only separators and digits separate words: SECRETLINT is one word)
    const boundaryBefore =
      wordStart === nameStart ||
      isSeparator(before) ||
      (!upperSnake && (isLower(before) || isDigit(before)) && isUpper(first)) ||
      (upperSnake && isDigit(before));
    const rest = content.slice(wordEnd, nameEnd);
    const next = rest[0];
    const plural =
      (next === 's' || next === 'S') &&
      (rest.length === 1 || isSeparator(rest[1]) || (!upperSnake && isUpper(rest[1])));
    const boundaryAfter =
      rest.length === 0 || isSeparator(next) || isDigit(next) || (!upperSnake && isUpper(next)) || plural;
    if (!boundaryBefore || !boundaryAfter) continue;
    if (METADATA_SUFFIX.test(rest)) continue;
    SECRET_WORDS.lastIndex = Math.max(SECRET_WORDS.lastIndex, nameEnd);

    // name ["']? spaces operator spaces value
    let i = nameEnd;
    if (content[i] === '"' || content[i] === "'") i++;
    while (content[i] === ' ' || content[i] === '\t') i++;
    let operator = '';
    if (content.startsWith(':=', i) || content.startsWith('=>', i)) operator = content.slice(i, i + 2);
    else if (content[i] === '=' || content[i] === ':') operator = content[i]!;
    if (!operator) continue;
    if (
      operator === '=' &&
      (content[i + 1] === '=' || content[i - 1] === '!' || content[i - 1] === '<' || content[i - 1] === '>')
    ) {
      continue; // a comparison
    }
    i += operator.length;
    while (content[i] === ' ' || content[i] === '\t') i++;

    const quote = content[i];
    let valueStart: number;
    let valueEnd: number;
    if (quote === '"' || quote === "'" || quote === '`') {
      valueStart = i + 1;
      valueEnd = valueStart;
      while (
        valueEnd < content.length &&
        valueEnd - valueStart <= MAX_VALUE &&
        content[valueEnd] !== quote &&
        content[valueEnd] !== '\n'
      ) {
        if (content[valueEnd] === '\\') valueEnd++;
        valueEnd++;
      }
      if (content[valueEnd] !== quote) continue;
    } else {
      valueStart = i;
      valueEnd = i;
      while (valueEnd < content.length && valueEnd - valueStart <= MAX_VALUE && !/[\s,;&#'"`]/.test(content[valueEnd]!))
        valueEnd++;
    }
    const value = content.slice(valueStart, valueEnd);
    if (!looksLikeSecretValue(value, quote === '"' || quote === "'" || quote === '`')) continue;
    hits.push({
      start: valueStart,
      end: valueEnd,
      kind: 'hard-coded credential',
      ruleId: 'aegis/generic-credential',
      redacted: redactSecret(value),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// secretlint's recommended rules, driven synchronously

const FILTER_COMMENTS_RULE = '@secretlint/secretlint-rule-filter-comments';

const SECRETLINT_RULES: readonly SecretLintRuleCreator<Record<string, unknown>>[] = (
  recommendedRules as unknown as SecretLintRuleCreator<Record<string, unknown>>[]
).filter((rule) => rule.meta.type === 'scanner' && rule.meta.id !== FILTER_COMMENTS_RULE);

/** The secretlint rule ids this scanner runs (for tests and the policy editor). */
export const SECRETLINT_RULE_IDS: readonly string[] = SECRETLINT_RULES.map((rule) => rule.meta.id);

const SECRETLINT_KINDS: Record<string, string> = {
  '@secretlint/secretlint-rule-aws': 'AWS credential',
  '@secretlint/secretlint-rule-gcp': 'GCP service account key',
  '@secretlint/secretlint-rule-privatekey': 'private key',
  '@secretlint/secretlint-rule-npm': 'npm token',
  '@secretlint/secretlint-rule-github': 'GitHub token',
  '@secretlint/secretlint-rule-slack': 'Slack token',
  '@secretlint/secretlint-rule-basicauth': 'password in a URL',
  '@secretlint/secretlint-rule-database-connection-string': 'database connection string with a password',
  '@secretlint/secretlint-rule-openai': 'OpenAI API key',
  '@secretlint/secretlint-rule-anthropic': 'Anthropic API key',
  '@secretlint/secretlint-rule-linear': 'Linear API key',
  '@secretlint/secretlint-rule-1password': '1Password token',
  '@secretlint/secretlint-rule-sendgrid': 'SendGrid API key',
  '@secretlint/secretlint-rule-shopify': 'Shopify token',
};

type Message = { message: string; messageId: string; data: unknown };

function translatorFor(messages: SecretLintRuleLocalizeMessages) {
  return (messageId: string, props?: Record<string, unknown>): Message => {
    const handler = messages[messageId]?.en;
    if (typeof handler !== 'function') throw new Error(`secretlint message ${messageId} is missing`);
    return { message: handler(props), messageId, data: props };
  };
}

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

function runSecretlint(content: string, path: string, starts: number[], hits: Hit[]): void {
  let ext = extensionOf(path);
  // The preset's .p12 path reads the file from disk by name; pushed content never lives there.
  if (ext.toLowerCase() === '.p12') ext = '';
  const source: SecretLintSourceCode = {
    hasBOM: false,
    content,
    filePath: path || undefined,
    physicalFilePath: undefined,
    contentType: 'text',
    ext,
    getFilePath: () => path || undefined,
    getPhysicalFilePath: () => undefined,
    positionToIndex: (pos) => (starts[pos.line - 1] ?? content.length) + pos.column,
    indexToPosition: (index) => positionOf(starts, index),
    locationToRange: (loc) => [source.positionToIndex(loc.start), source.positionToIndex(loc.end)],
    rangeToLocation: (range): SecretLintSourceNodeLocation => ({
      start: positionOf(starts, range[0]),
      end: positionOf(starts, range[1]),
    }),
  };

  for (const rule of SECRETLINT_RULES) {
    const ruleId = rule.meta.id;
    const context: SecretLintRuleContext = {
      sharedOptions: {},
      createTranslator: translatorFor as unknown as SecretLintRuleContext['createTranslator'],
      report(descriptor: SecretLintRuleReportDescriptor) {
        const [start, end] = descriptor.range;
        hits.push({
          start,
          end,
          kind: SECRETLINT_KINDS[ruleId] ?? descriptor.message.messageId,
          ruleId,
          redacted: redactSecret(content.slice(start, end)),
        });
      },
      ignore() {
        // Only filter rules ignore findings, and none of them runs here.
      },
    };
    const handler = rule.create(context, {});
    const result = handler.file?.(source);
    if (result && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).catch(() => undefined);
      throw new Error(`Secret scanner rule ${ruleId} did not run synchronously`);
    }
  }
}

/**
 * What secretlint's rules (as driven here) report for one file: rule id and range. Exposed for
 * the test that compares this driver with secretlint's own engine.
 */
export function secretlintHits(content: string, path: string): { ruleId: string; start: number; end: number }[] {
  const hits: Hit[] = [];
  runSecretlint(content, path, lineStarts(content), hits);
  return hits.map(({ ruleId, start, end }) => ({ ruleId, start, end }));
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Every secret in `content`, overlapping detections merged (the earliest-starting one wins). */
function scanText(content: string, path: string): Hit[] {
  const text = content.charCodeAt(0) === 0xfeff ? ` ${content.slice(1)}` : content;
  const starts = lineStarts(text);
  const hits: Hit[] = [];
  findPrivateKeys(text, hits);
  findTokens(text, hits);
  findGenericCredentials(text, hits);
  runSecretlint(text, path, starts, hits);

  // On equal starts Aegis's own detector wins (its kinds and redactions are the consistent ones),
  // then the longer detection; overlapping detections become one finding.
  const own = (hit: Hit) => (hit.ruleId.startsWith('aegis/') ? 0 : 1);
  hits.sort((a, b) => a.start - b.start || own(a) - own(b) || b.end - a.end);
  const merged: Hit[] = [];
  for (const hit of hits) {
    const last = merged[merged.length - 1];
    if (last && hit.start < last.end) {
      last.end = Math.max(last.end, hit.end);
      continue;
    }
    merged.push({ ...hit });
  }
  return merged;
}

/**
 * Scans pushed files for secrets. Synchronous; throws only on a scanner failure, which policy
 * evaluation turns into a fail-closed block.
 */
export function scanForSecrets(files: readonly ScannedFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    if (typeof file.content !== 'string' || file.content.length === 0) continue;
    const starts = lineStarts(file.content);
    for (const hit of scanText(file.content, file.path)) {
      findings.push({
        path: file.path,
        line: positionOf(starts, hit.start).line,
        kind: hit.kind,
        ruleId: hit.ruleId,
        redacted: hit.redacted,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Redaction for the audit log

export const REDACTED = '[REDACTED]';

/** Keys whose values are secret whatever they look like (`password`, `accessToken`, `Authorization`). */
const SECRET_KEY =
  /^(?:.*[_-])?(?:password|passwd|passphrase|secret|token|access[_-]?token|refresh[_-]?token|id[_-]?token|api[_-]?key|apikey|authorization|auth|cookie|set[_-]?cookie|private[_-]?key|client[_-]?secret|credentials?|session[_-]?token)$/i;

function normalizeKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(normalizeKey(key));
}

/** `value` with every detected secret replaced by [REDACTED]; the rest of the text is kept. */
export function redactSecretsInString(value: string): string {
  if (value.length < MIN_VALUE) return value;
  let hits: Hit[];
  try {
    hits = scanText(value, '');
  } catch {
    return REDACTED; // cannot tell what is secret in it: keep none of it
  }
  if (hits.length === 0) return value;
  let out = '';
  let cursor = 0;
  for (const hit of hits) {
    out += value.slice(cursor, hit.start) + REDACTED;
    cursor = hit.end;
  }
  return out + value.slice(cursor);
}

const MAX_DEPTH = 32;

/**
 * A deep copy of a JSON-like value for the audit log: values under secret-like keys become
 * "[REDACTED]" whole, and secrets found inside any other string are replaced in place. Dates
 * become ISO strings, binary data a placeholder, cycles "[Circular]"; functions and symbols are
 * dropped as JSON would.
 */
export function redactSecretsInValue(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecretsInString(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // undefined, functions, symbols
  if (depth >= MAX_DEPTH) return '[Truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((item) => {
        const copy = redactValue(item, depth + 1, seen);
        return copy === undefined ? null : copy;
      });
    }
    const source = value instanceof Map ? Object.fromEntries(value) : (value as Record<string, unknown>);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source)) {
      if (isSecretKey(key) && item !== null && item !== undefined && item !== '') {
        copy[key] = REDACTED;
        continue;
      }
      const redacted = redactValue(item, depth + 1, seen);
      if (redacted !== undefined) copy[key] = redacted;
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}
