// The secrets of MCP authorization: authorization codes, access tokens and refresh tokens. Each is
// 256 bits from the CSPRNG with its own recognisable prefix (secret scanners find leaked ones, and
// none can be mistaken for a member's `aegis_` room token), stored only as a SHA-256 digest.
import { createHash, randomBytes } from 'node:crypto';

const PREFIXES = { code: 'aegis_oac_', access: 'aegis_oat_', refresh: 'aegis_ort_' } as const;
export type OAuthSecretKind = keyof typeof PREFIXES;

export function generateOAuthSecret(kind: OAuthSecretKind): string {
  return PREFIXES[kind] + randomBytes(32).toString('base64url');
}

const PATTERNS: Record<OAuthSecretKind, RegExp> = {
  code: /^aegis_oac_[A-Za-z0-9_-]{43}$/,
  access: /^aegis_oat_[A-Za-z0-9_-]{43}$/,
  refresh: /^aegis_ort_[A-Za-z0-9_-]{43}$/,
};

export function looksLikeOAuthSecret(kind: OAuthSecretKind, value: string): boolean {
  return PATTERNS[kind].test(value);
}

/** Lookups go by digest (a unique index), so a secret is never compared as plain text. */
export function digestOAuthSecret(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** PKCE S256 (RFC 7636): BASE64URL(SHA256(code_verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** RFC 7636 §4.1: 43 to 128 characters from the unreserved set. */
export function isValidPkceVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** A challenge is the base64url of a SHA-256 digest: exactly 43 characters. */
export function isValidPkceChallenge(challenge: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(challenge);
}
