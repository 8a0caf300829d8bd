// Runs before every page (not API, MCP or static responses: see `config.matcher`):
// - a fresh CSP nonce per response, set on the request too, where Next.js reads it and adds it
//   to its own scripts (the pages render dynamically for this; see app/layout.tsx);
// - a 413 for a server action whose body is too large. Next.js's own limit
//   (experimental.serverActions.bodySizeLimit in next.config.mjs, the same size) answers those
//   with a 500, and form posts made before hydration with an error page.
import { NextResponse, type NextRequest } from 'next/server';
import { createNonce, pageContentSecurityPolicy } from '@/lib/http/content-security-policy';
import { bodyExceeds, payloadTooLarge } from '@/lib/http/request-body';
import { config as aegisConfig } from '@/lib/config';

/** Server action bodies: keep equal to serverActions.bodySizeLimit in next.config.mjs. */
const SERVER_ACTION_BODY_LIMIT = 1024 * 1024;

/** A POST to a page is a server action: sent by fetch (Next-Action header) or as a plain form. */
function isServerAction(request: NextRequest): boolean {
  if (request.method !== 'POST') return false;
  if (request.headers.has('next-action')) return true;
  const type = request.headers.get('content-type')?.toLowerCase() ?? '';
  return type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded');
}

export async function proxy(request: NextRequest) {
  if (isServerAction(request) && (await bodyExceeds(request, SERVER_ACTION_BODY_LIMIT))) {
    return payloadTooLarge(SERVER_ACTION_BODY_LIMIT);
  }

  const policy = pageContentSecurityPolicy({
    nonce: createNonce(),
    development: process.env.NODE_ENV === 'development',
    https: aegisConfig().AEGIS_PUBLIC_URL?.startsWith('https:') ?? false,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Everything but what next.config.mjs gives its own policy: keep the two lists in step.
  matcher: ['/((?!api/|_next/|mcp|sse|favicon\\.ico).*)'],
};
