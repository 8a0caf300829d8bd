// DNS-rebinding protection for the MCP endpoints: the Host (and, when present, Origin) header must
// name a host Aegis serves — AEGIS_PUBLIC_URL's host or a loopback name.
import { config } from '../config';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return null;
  }
}

function allowedHostnames(): Set<string> {
  const allowed = new Set(LOOPBACK);
  const publicUrl = config().AEGIS_PUBLIC_URL;
  if (publicUrl) allowed.add(new URL(publicUrl).hostname.toLowerCase());
  return allowed;
}

export function isAllowedHost(host: string | null, origin: string | null): boolean {
  const allowed = allowedHostnames();
  const hostname = host ? hostnameOf(host) : null;
  if (!hostname || !allowed.has(hostname)) return false;
  if (origin === null) return true;
  try {
    return allowed.has(new URL(origin).hostname.toLowerCase());
  } catch {
    return false;
  }
}
