// The base URL agents should connect to. AEGIS_PUBLIC_URL when set; otherwise the origin the
// dashboard was opened on, but only if the gateway serves that host (loopback names) — a page opened
// on another address (say the "Network:" one Next prints) would hand out URLs that the gateway's
// DNS-rebinding check refuses, so those get localhost on the same port, and the page says why.
import { config } from '../config';
import { isAllowedHost } from '../gateway/host-check';

/**
 * Where links handed to agents (a pull request, an approval) should point: the dashboard's own
 * origin, where the reviewer is signed in — not whichever loopback name the agent connected with.
 */
export function dashboardBaseUrl(
  agentRequestOrigin: string,
  { AEGIS_PUBLIC_URL, NEXTAUTH_URL }: { AEGIS_PUBLIC_URL?: string; NEXTAUTH_URL?: string } = config(),
): string {
  return (AEGIS_PUBLIC_URL ?? NEXTAUTH_URL ?? agentRequestOrigin).replace(/\/$/, '');
}

export type PublicBaseUrl = { baseUrl: string; refusedPageHost?: string };

export function publicBaseUrl(requestHost: string | null, forwardedProto: string | null): PublicBaseUrl {
  const configured = config().AEGIS_PUBLIC_URL;
  if (configured) return { baseUrl: configured.replace(/\/$/, '') };
  const proto = forwardedProto?.split(',')[0]?.trim() === 'https' ? 'https' : 'http';
  const host = requestHost ?? 'localhost:3000';
  if (isAllowedHost(host, null)) return { baseUrl: `${proto}://${host}` };
  const port = /:(\d+)$/.exec(host)?.[1] ?? process.env.PORT ?? '3000';
  return { baseUrl: `http://localhost:${port}`, refusedPageHost: host };
}
