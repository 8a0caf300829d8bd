import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { digestToken, generateRoomToken, looksLikeRoomToken, tokenMatchesDigest } from './room-token';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';

describe('room tokens', () => {
  it('carry 256 random bits behind the aegis_ prefix', () => {
    const tokens = new Set(Array.from({ length: 200 }, generateRoomToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(looksLikeRoomToken(token)).toBe(true);
      expect(Buffer.from(token.slice('aegis_'.length), 'base64url')).toHaveLength(32);
    }
  });

  it('match only their own digest', () => {
    const token = generateRoomToken();
    const digest = digestToken(token);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatchesDigest(token, digest)).toBe(true);
    expect(tokenMatchesDigest(generateRoomToken(), digest)).toBe(false);
    expect(tokenMatchesDigest('', digest)).toBe(false);
    expect(tokenMatchesDigest(token, 'not-a-digest')).toBe(false);
  });
});

describe('secret box', () => {
  const key = randomBytes(32);

  it('round-trips and never repeats a ciphertext', () => {
    const token = generateRoomToken();
    const a = encryptSecret(token, key);
    const b = encryptSecret(token, key);
    expect(a).not.toBe(b);
    expect(a).not.toContain(token.slice(6));
    expect(decryptSecret(a, key)).toBe(token);
    expect(decryptSecret(b, key)).toBe(token);
  });

  it('refuses a tampered ciphertext or the wrong key', () => {
    const sealed = encryptSecret('secret value', key);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'), key)).toThrow();
    expect(() => decryptSecret(sealed, randomBytes(32))).toThrow();
    expect(() => decryptSecret('garbage', key)).toThrow();
  });
});
