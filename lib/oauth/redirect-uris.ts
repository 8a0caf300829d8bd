// Redirect URIs: which a client may register, and whether the one an authorization request names
// is registered. Matching is exact (OAuth 2.1), with one exception from RFC 8252 §7.3: a desktop
// client listening on a loopback address picks its port when it starts, so for http://127.0.0.1,
// http://[::1] and http://localhost the port is ignored — nothing else is.
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

// Schemes that would run or read something in the browser instead of handing the code to an app.
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:', 'filesystem:']);

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why a redirect URI cannot be registered, or null when it can: https, http on a loopback address
 * (RFC 8252 §7.3), or an app's private-use scheme (RFC 8252 §7.1, e.g. `cursor://…`); never a
 * fragment, credentials, or a scheme that runs in the browser.
 */
export function redirectUriProblem(uri: string): string | null {
  const url = parse(uri);
  if (!url || uri.length > 2000) return 'is not an absolute URL';
  if (url.hash || uri.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return isLoopbackRedirect(url) ? null : 'must use https (or http on a loopback address)';
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `must not use the ${url.protocol} scheme`;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? null : 'has an invalid scheme';
}

/** Is `requested` one of `registered`, exactly — or, for loopback http, up to the port? */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const url = parse(requested);
  if (!url || !isLoopbackRedirect(url)) return false;
  return registered.some((candidate) => {
    const known = parse(candidate);
    if (!known || !isLoopbackRedirect(known)) return false;
    return (
      known.hostname === url.hostname &&
      known.pathname === url.pathname &&
      known.search === url.search &&
      !url.username &&
      !url.password &&
      !url.hash
    );
  });
}

/** What the consent page shows as where the code goes: the host, or the app's scheme. */
export function redirectHost(uri: string): string {
  const url = parse(uri);
  if (!url) return uri;
  return url.host ? url.host : url.protocol.replace(/:$/, '');
}
