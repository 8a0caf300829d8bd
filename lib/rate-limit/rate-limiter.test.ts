import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter';
import { clientAddress, normaliseAddress } from './client-address';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createRateLimiter', () => {
  it('allows max hits per window, then refuses with the time left', () => {
    const time = clock();
    const limiter = createRateLimiter({ windowMs: 60_000, max: 3, now: time.now });
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 2, retryAfterSeconds: 0 });
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.check('a')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    time.advance(15_000);
    expect(limiter.check('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 45 });
    expect(limiter.hit('a')).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 45 });
    // other keys are counted apart
    expect(limiter.check('b').allowed).toBe(true);
  });

  it('check does not count', () => {
    const limiter = createRateLimiter({ windowMs: 1000, max: 1 });
    for (let i = 0; i < 5; i++) expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.hit('a').allowed).toBe(true);
    expect(limiter.check('a').allowed).toBe(false);
  });

  it('a new window starts once the old one has passed', () => {
    const time = clock();
    const limiter = createRateLimiter({ windowMs: 10_000, max: 1, now: time.now });
    limiter.hit('a');
    expect(limiter.check('a').allowed).toBe(false);
    time.advance(9_999);
    expect(limiter.check('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1);
    expect(limiter.check('a')).toEqual({ allowed: true, remaining: 1, retryAfterSeconds: 0 });
    expect(limiter.hit('a').allowed).toBe(true);
  });

  it('reward takes back one hit', () => {
    const limiter = createRateLimiter({ windowMs: 60_000, max: 2 });
    limiter.hit('a');
    limiter.hit('a');
    expect(limiter.check('a').allowed).toBe(false);
    limiter.reward('a');
    expect(limiter.check('a')).toMatchObject({ allowed: true, remaining: 1 });
    limiter.reward('unknown');
    expect(limiter.size).toBe(1);
  });

  it('reset forgets a key', () => {
    const limiter = createRateLimiter({ windowMs: 60_000, max: 1 });
    limiter.hit('a');
    limiter.reset('a');
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('stays bounded when keys are cycled, forgetting expired keys first', () => {
    const time = clock();
    const limiter = createRateLimiter({ windowMs: 1000, max: 1, maxKeys: 100, now: time.now });
    for (let i = 0; i < 10_000; i++) limiter.hit(`k${i}`);
    expect(limiter.size).toBe(100);
    // the newest keys are still counted
    expect(limiter.check('k9999').allowed).toBe(false);
    time.advance(1000);
    limiter.hit('fresh');
    expect(limiter.size).toBe(1);
  });

  it('refuses nonsense options', () => {
    expect(() => createRateLimiter({ windowMs: 0, max: 1 })).toThrow();
    expect(() => createRateLimiter({ windowMs: 1000, max: 0 })).toThrow();
  });
});

describe('clientAddress', () => {
  const headers = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff });

  it('reads the rightmost entry when no proxy or one proxy is in front', () => {
    expect(clientAddress(headers('203.0.113.9'), 0)).toBe('203.0.113.9');
    expect(clientAddress(headers('198.51.100.1, 203.0.113.9'), 1)).toBe('203.0.113.9');
  });

  it('skips the entries of further trusted proxies', () => {
    expect(clientAddress(headers('198.51.100.1, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
    expect(clientAddress(headers('203.0.113.9'), 3)).toBe('203.0.113.9');
  });

  it('counts IPv6 clients per /64 and unwraps IPv4-mapped addresses', () => {
    expect(clientAddress(headers('2001:db8:1:2:3:4:5:6'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(headers('2001:db8:1:2::7'), 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress(headers('::1'), 0)).toBe('0:0:0:0::/64');
    expect(clientAddress(headers('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
  });

  it('puts anything that is not an address in one bucket', () => {
    expect(clientAddress(headers(), 0)).toBe('unknown');
    expect(clientAddress(headers('not an address'), 0)).toBe('unknown');
  });

  it('strips ports and zone ids', () => {
    expect(normaliseAddress('203.0.113.9:4711')).toBe('203.0.113.9');
    expect(normaliseAddress('[2001:db8::1]:443')).toBe('2001:db8:0:0::/64');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
