// Room access tokens: 256 bits from the CSPRNG with a recognisable `aegis_` prefix so secret
// scanners find leaked ones. Stored as a SHA-256 digest (lookup, constant-time comparison) and as
// ciphertext (so ADMINs and OWNERs can reveal it); never logged.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROOM_TOKEN_PREFIX = 'aegis_';
const TOKEN_PATTERN = /^aegis_[A-Za-z0-9_-]{43}$/;

export function generateRoomToken(): string {
  return ROOM_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeRoomToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function digestToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time: compares digests, so neither length nor content leaks through timing. */
export function tokenMatchesDigest(token: string, digest: string): boolean {
  const candidate = Buffer.from(digestToken(token), 'hex');
  const expected = Buffer.from(digest, 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}
