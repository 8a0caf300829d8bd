// Which network addresses Aegis may connect to on a user's behalf (repository remotes, room
// webhooks). Anything a signed-up user types could otherwise make the server reach its own
// loopback, the cloud metadata service or the internal network, so unless the operator allows
// private networks only public unicast addresses pass. A host name passes only when every address
// it resolves to does, and callers then connect to exactly those addresses (pinning), so a DNS
// answer that changes between the check and the connection cannot switch the target.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to its addresses (dns.lookup by default; tests pass their own). */
export type HostLookup = (hostname: string) => Promise<string[]>;

export interface NetworkPolicy {
  /** AEGIS_ALLOW_PRIVATE_NETWORKS: loopback, link-local and private addresses are allowed too. */
  allowPrivateNetworks: boolean;
  lookup?: HostLookup;
  /** How long name resolution may take before the host counts as unreachable. Default 5 s. */
  lookupTimeoutMs?: number;
}

const DEFAULT_LOOKUP_TIMEOUT_MS = 5000;

// Global unicast space (2000::/3); everything outside it is unallocated or special-purpose.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
// Deprecated IPv4-compatible addresses (::a.b.c.d), which ipaddr.js calls "unicast".
const IPV4_COMPATIBLE_V6 = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Is `address` (an IPv4 or IPv6 literal, brackets allowed) a public unicast address? Loopback,
 * link-local, private, unique-local, carrier-grade NAT, multicast, unspecified, broadcast,
 * documentation and other reserved ranges are not; IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, NAT64) are judged by that IPv4 address. Anything unparseable is not public.
 */
export function isPublicAddress(address: string): boolean {
  const literal = address.replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(literal) || isIP(literal) === 0) return false;
  const parsed = ipaddr.parse(literal);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  const range = v6.range();
  if (range === 'rfc6052') return embeddedIPv4(v6).range() === 'unicast';
  if (v6.match(IPV4_COMPATIBLE_V6)) return false;
  return range === 'unicast' && v6.match(GLOBAL_UNICAST_V6);
}

function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = v6.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12));
}

/** True when `hostname` is an IP literal (brackets allowed) rather than a name. */
export function isIpLiteral(hostname: string): boolean {
  return isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
}

export type ResolvedHost =
  { ok: true; addresses: string[]; literal: boolean } | { ok: false; reason: 'unresolvable' | 'not_public' };

/**
 * The addresses Aegis may connect to for `hostname` (a URL's hostname: lowercase, IPv6 in
 * brackets), or why there are none. Every address a name resolves to must pass, not just one:
 * otherwise the connection could go to the one that does not.
 */
export async function resolveAllowedHost(hostname: string, policy: NetworkPolicy): Promise<ResolvedHost> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIpLiteral(bare)) {
    if (!policy.allowPrivateNetworks && !isPublicAddress(bare)) return { ok: false, reason: 'not_public' };
    return { ok: true, addresses: [bare], literal: true };
  }
  let addresses: string[];
  try {
    addresses = await withTimeout(
      (policy.lookup ?? systemLookup)(bare),
      policy.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS,
    );
  } catch {
    return { ok: false, reason: 'unresolvable' };
  }
  addresses = [...new Set(addresses)];
  if (addresses.length === 0 || addresses.some((a) => isIP(a) === 0)) return { ok: false, reason: 'unresolvable' };
  if (!policy.allowPrivateNetworks && !addresses.every(isPublicAddress)) return { ok: false, reason: 'not_public' };
  return { ok: true, addresses, literal: false };
}

async function systemLookup(hostname: string): Promise<string[]> {
  const results = await dnsLookup(hostname, { all: true, verbatim: true });
  return results.map((r) => r.address);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('lookup timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
