// The URLs of MCP authorization. Each room has its own MCP URL (`<base>/rooms/<roomId>/mcp`): the
// protected resource an access token is bound to (RFC 8707 `resource`, compared exactly), with its
// metadata at the RFC 9728 well-known path. The base is AEGIS_PUBLIC_URL when set; otherwise the
// origin the agent used, which the gateway's host check already limits to names Aegis serves.
import { isAllowedHost } from '../gateway/host-check';

export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function trimBase(base: string): string {
  return base.replace(/\/$/, '');
}

export function roomMcpPath(roomId: string): string {
  return `/rooms/${roomId}/mcp`;
}

export function roomResourceUrl(base: string, roomId: string): string {
  return `${trimBase(base)}${roomMcpPath(roomId)}`;
}

/** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = new URL(resource);
  return `${url.origin}/.well-known/oauth-protected-resource${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * The room a `resource` parameter names, when it is exactly a room MCP URL on an origin Aegis
 * serves (AEGIS_PUBLIC_URL's, or a loopback one), with no query, fragment or trailing slash.
 */
export function roomOfResource(resource: string, publicUrl: string | undefined): string | null {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.search || url.hash || url.username || url.password) return null;
  const match = /^\/rooms\/([^/]+)\/mcp$/.exec(url.pathname);
  if (!match || !ROOM_ID_PATTERN.test(match[1]!)) return null;
  if (publicUrl ? url.origin !== new URL(publicUrl).origin : !isAllowedHost(url.host, null)) return null;
  // The string must be the canonical spelling, or "exactly this resource" would have several forms.
  if (roomResourceUrl(url.origin, match[1]!) !== resource) return null;
  return match[1]!;
}
