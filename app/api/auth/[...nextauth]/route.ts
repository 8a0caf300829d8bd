// GET/POST /api/auth/* — next-auth's own endpoints (sign-in, sign-out, session, CSRF), with
// bodies of bounded size (413) and password sign-ins rate limited per email and client (429).
import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { authOptions } from '@/lib/auth/auth-options';
import { beginSignInAttempt, signInSucceeded } from '@/lib/auth/sign-in-throttle';
import { sessionCookieName } from '@/lib/auth/session-version';
import { config } from '@/lib/config';
import { payloadTooLarge, readBodyUpTo } from '@/lib/http/request-body';
import { clientAddress } from '@/lib/rate-limit';

type Context = { params: Promise<{ nextauth: string[] }> };

/** Sign-in forms are tiny: an email, a password, a CSRF token and a callback URL. */
const AUTH_BODY_LIMIT = 16 * 1024;

function nextAuth(request: NextRequest, context: Context) {
  return NextAuth(request as never, context as never, authOptions()) as Promise<Response>;
}

async function GET(request: NextRequest, context: Context) {
  return nextAuth(request, context);
}

async function POST(request: NextRequest, context: Context) {
  const body = await readBodyUpTo(request, AUTH_BODY_LIMIT);
  if (!body) return payloadTooLarge(AUTH_BODY_LIMIT);
  // The body was read here, so next-auth gets a request with it buffered.
  const headers = new Headers(request.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(body.byteLength));
  const buffered = new NextRequest(request.url, { method: 'POST', headers, body });
  const [action, provider] = (await context.params).nextauth;
  if (action === 'callback' && provider === 'credentials') return passwordSignIn(buffered, body, context);
  return nextAuth(buffered, context);
}

async function passwordSignIn(request: NextRequest, body: Uint8Array, context: Context) {
  const attempt = {
    email: submittedEmail(request.headers.get('content-type'), body),
    client: clientAddress(request.headers, config().AEGIS_TRUSTED_PROXY_COUNT),
  };
  const retryAfter = beginSignInAttempt(attempt);
  if (retryAfter > 0) {
    const minutes = Math.ceil(retryAfter / 60);
    return Response.json(
      {
        error: 'too_many_requests',
        message: `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        retryAfterSeconds: retryAfter,
        // next-auth's client reads `url` from every sign-in answer
        url: new URL('/sign-in?error=TooManyAttempts', request.url).toString(),
      },
      { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    );
  }
  const response = await nextAuth(request, context);
  const sessionCookie = `${sessionCookieName()}=`;
  if (response.headers.getSetCookie().some((cookie) => cookie.startsWith(sessionCookie))) signInSucceeded(attempt);
  return response;
}

function submittedEmail(contentType: string | null, body: Uint8Array): string {
  const text = Buffer.from(body).toString('utf8');
  if (contentType?.toLowerCase().includes('application/json')) {
    try {
      const parsed = JSON.parse(text) as { email?: unknown };
      return typeof parsed.email === 'string' ? parsed.email : '';
    } catch {
      return '';
    }
  }
  return new URLSearchParams(text).get('email') ?? '';
}

export { GET, POST };
