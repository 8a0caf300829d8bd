// The client address a request is counted under, for per-client rate limits.
//
// Next.js fills `X-Forwarded-For` with the peer's address only when the request has none, and
// offers no other way to read the peer address. So the address is read from that header:
// `trustedProxyCount` reverse proxies in front of Aegis each append the address they saw, and the
// client is the entry that many places from the right (the rightmost when there is no proxy).
// Without a proxy that sets the header, a client can send its own `X-Forwarded-For` and choose
// the address it is counted under: limits per account still hold, per-client ones do not.
//
// IPv6 clients are counted per /64, the block one subscriber usually holds.
import { isIP } from 'node:net';

export function clientAddress(headers: Headers, trustedProxyCount: number): string {
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const fromRight = Math.max(1, trustedProxyCount);
  const entry = entries[entries.length - fromRight] ?? entries[0];
  return (entry && normaliseAddress(entry)) ?? 'unknown';
}

/** An IPv4 address as is, an IPv6 one as its /64; null for anything that is not an address. */
export function normaliseAddress(raw: string): string | null {
  let address = raw.trim();
  // "[v6]:port" and "v4:port", as some proxies write them
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  address = address.replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const groups = expandIPv6(address);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // an embedded IPv4 tail becomes two groups
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
