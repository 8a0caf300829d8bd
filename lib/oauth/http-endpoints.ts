// The OAuth endpoints as Web-standard handlers (Request → Response), so the Next.js route handlers
// stay one line: the two discovery documents, dynamic client registration and the token endpoint.
// They answer any origin (CORS without credentials: browser-based MCP clients discover and exchange
// tokens with fetch), and OAuth errors in OAuth's shape ({ error, error_description }), no-store.
import { config } from '../config';
import { isAppError } from '../errors';
import { clientAddress, createRateLimiter, type RateLimiter } from '../rate-limit';
import { publicBaseUrl } from '../integrations/public-url';
import { readBodyUpTo } from '../http/request-body';
import { registerClient } from './clients';
import { authorizationServerMetadata, protectedResourceMetadata } from './metadata';
import { oauthErrorCode } from './oauth-error';
import { ROOM_ID_PATTERN, roomResourceUrl, trimBase } from './resource-urls';
import { exchangeTokenRequest } from './token-endpoint';

const MAX_BODY_BYTES = 64 * 1024;

// Registration needs no credentials (RFC 7591, as MCP clients use it), so each client address may
// register only so many clients per window: a script cannot fill the database with them.
const REGISTRATIONS_PER_WINDOW = 60;
const REGISTRATION_WINDOW_MS = 10 * 60_000;
const state = globalThis as unknown as { aegisRegistrationLimiter?: RateLimiter };
const registrations = (state.aegisRegistrationLimiter ??= createRateLimiter({
  windowMs: REGISTRATION_WINDOW_MS,
  max: REGISTRATIONS_PER_WINDOW,
}));

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, MCP-Protocol-Version',
  'Access-Control-Max-Age': '600',
};

function baseOf(request: Request): string {
  return publicBaseUrl(request.headers.get('host'), request.headers.get('x-forwarded-proto')).baseUrl;
}

function json(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...CORS, 'Cache-Control': 'no-store', ...extra } });
}

function oauthErrorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const code = oauthErrorCode(error) ?? 'invalid_request';
    // RFC 6749 §5.2: invalid_client is 401; every other token error is 400.
    return json({ error: code, error_description: error.message }, code === 'invalid_client' ? 401 : 400);
  }
  console.error('[aegis] oauth request failed', error);
  return json({ error: 'server_error', error_description: 'Aegis could not answer this request right now' }, 500);
}

export function corsPreflight(): Response {
  return new Response(null, { status: 204, headers: CORS });
}

// GET /.well-known/oauth-authorization-server
export function handleAuthorizationServerMetadata(request: Request): Response {
  return json(authorizationServerMetadata(baseOf(request)), 200, { 'Cache-Control': 'public, max-age=300' });
}

// GET /.well-known/oauth-protected-resource/<resource path>: rooms/<id>/mcp, mcp or sse.
export function handleProtectedResourceMetadata(request: Request, path: string[]): Response {
  const base = trimBase(baseOf(request));
  let resource: string | null = null;
  if (path.length === 1 && (path[0] === 'mcp' || path[0] === 'sse')) resource = `${base}/${path[0]}`;
  if (path.length === 3 && path[0] === 'rooms' && path[2] === 'mcp' && ROOM_ID_PATTERN.test(path[1]!)) {
    // Answered for any well-formed room id, without looking it up: this must not reveal which rooms exist.
    resource = roomResourceUrl(base, path[1]!);
  }
  if (!resource) return json({ error: 'not_found', message: 'No protected resource here' }, 404);
  return json(protectedResourceMetadata(base, resource), 200, { 'Cache-Control': 'public, max-age=300' });
}

async function readBody(request: Request, type: 'json' | 'form'): Promise<unknown> {
  const contentType = request.headers.get('content-type')?.toLowerCase() ?? '';
  const expected = type === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
  if (!contentType.startsWith(expected)) return { unsupported: expected };
  const bytes = await readBodyUpTo(request, MAX_BODY_BYTES);
  if (!bytes) return { tooLarge: true };
  const text = Buffer.from(bytes).toString('utf8');
  if (type === 'form') return new URLSearchParams(text);
  try {
    return JSON.parse(text);
  } catch {
    return { invalidJson: true };
  }
}

function bodyProblem(body: unknown): string | null {
  if (body && typeof body === 'object' && !(body instanceof URLSearchParams)) {
    const b = body as { unsupported?: string; tooLarge?: boolean; invalidJson?: boolean };
    if (b.unsupported) return `Content-Type must be ${b.unsupported}`;
    if (b.tooLarge) return `Request bodies are limited to ${MAX_BODY_BYTES} bytes`;
    if (b.invalidJson) return 'The body is not valid JSON';
  }
  return null;
}

// POST /oauth/register (RFC 7591)
export async function handleRegistration(request: Request): Promise<Response> {
  const client = clientAddress(request.headers, config().AEGIS_TRUSTED_PROXY_COUNT);
  const { allowed, retryAfterSeconds } = registrations.check(client);
  if (!allowed) {
    return json(
      { error: 'rate_limited', error_description: 'Too many client registrations from this address: try again later' },
      429,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
  registrations.hit(client);
  const body = await readBody(request, 'json');
  const problem = bodyProblem(body);
  if (problem) return json({ error: 'invalid_client_metadata', error_description: problem }, 400);
  try {
    return json(await registerClient(body), 201);
  } catch (error) {
    return oauthErrorResponse(error);
  }
}

// POST /oauth/token
export async function handleToken(request: Request): Promise<Response> {
  const body = await readBody(request, 'form');
  const problem = bodyProblem(body);
  if (problem || !(body instanceof URLSearchParams)) {
    return json({ error: 'invalid_request', error_description: problem ?? 'Invalid body' }, 400);
  }
  try {
    return json(await exchangeTokenRequest(body), 200, { Pragma: 'no-cache' });
  } catch (error) {
    return oauthErrorResponse(error);
  }
}
