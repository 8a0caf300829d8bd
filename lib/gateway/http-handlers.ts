// The gateway's HTTP surface as Web-standard handlers (Request → Response), so the Next.js route
// handlers stay one line each: GET /sse opens an HTTP+SSE session, POST /sse/message carries its
// client messages, and /mcp is the Streamable HTTP endpoint. Every request passes the Host/Origin
// check and a body-size limit before anything is parsed; credentials are checked before any
// transport sees the request. Errors are JSON with a stable `error` code; URLs, tokens and query
// strings are never logged.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { config } from '../config';
import { isAppError } from '../errors';
import { errorResponse as appErrorResponse, jsonError } from '../http/error-response';
import { payloadTooLarge, readBodyUpTo } from '../http/request-body';
import { credentialsFromRequest, type AgentCredentials } from './agent-credentials';
import { agentAuthenticationFailed, agentClient, assertAgentClientNotThrottled } from './agent-auth-throttle';
import { authenticateAgent, type AuthenticateOptions } from './authenticate-agent';
import {
  endSession,
  endedSessionReason,
  holdStreamOpen,
  liveSession,
  openSession,
  reauthenticate,
  sameAgent,
  sseSessionForMessage,
  type LiveSession,
} from './agent-sessions';
import { isAllowedHost } from './host-check';
import { outsideRequest } from './outside-request';
import { dashboardBaseUrl } from '../integrations/public-url';
import { WebSseServerTransport } from './web-sse-transport';

const SSE_MESSAGE_ENDPOINT = '/sse/message';

// Unlike dashboard routes, an unexpected failure here is answered as "unavailable": the agent may
// retry, and nothing was done.
function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const response = appErrorResponse(error);
    // RFC 6750: a 401 names its scheme, so clients know to send a bearer token, not to go looking
    // for something else.
    if (response.status === 401) {
      response.headers.set('WWW-Authenticate', `Bearer realm="aegis", error="invalid_token"`);
    }
    const retryAfter = error.details?.retryAfterSeconds;
    if (response.status === 429 && typeof retryAfter === 'number')
      response.headers.set('Retry-After', String(retryAfter));
    return response;
  }
  console.error('[aegis] gateway request failed', error);
  return jsonError(503, 'unavailable', 'Aegis could not check this request right now; nothing was done');
}

function hostRefusal(request: Request): Response | null {
  if (isAllowedHost(request.headers.get('host'), request.headers.get('origin'))) return null;
  return jsonError(403, 'host_not_allowed', 'This host or origin is not served by Aegis');
}

/**
 * Authenticates the request's agent, unless its client address has failed too often already;
 * a failure counts against that address (lib/gateway/agent-auth-throttle.ts).
 */
async function authenticateRequest(request: Request, credentials: AgentCredentials, options: AuthenticateOptions) {
  const client = agentClient(request.headers);
  assertAgentClientNotThrottled(client);
  try {
    return await authenticateAgent(credentials, options);
  } catch (error) {
    if (isAppError(error)) agentAuthenticationFailed(client);
    throw error;
  }
}

function baseUrlOf(request: Request): string {
  return dashboardBaseUrl(new URL(request.url).origin);
}

/** Reads a JSON body of at most the configured size; the limit is enforced before parsing. */
async function readJsonBody(
  request: Request,
): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  const limit = config().AEGIS_MAX_BODY_BYTES;
  const tooLarge = () => ({ ok: false as const, response: payloadTooLarge(limit) });
  if (Number(request.headers.get('content-length') ?? NaN) > limit) return tooLarge();
  const contentType = request.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().includes('application/json')) {
    return { ok: false, response: jsonError(415, 'unsupported_media_type', 'Content-Type must be application/json') };
  }
  const bytes = await readBodyUpTo(request, limit);
  if (!bytes) return tooLarge();
  try {
    return { ok: true, body: JSON.parse(Buffer.from(bytes).toString('utf8')) };
  } catch {
    return {
      ok: false,
      response: Response.json(
        { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the body is not valid JSON' } },
        { status: 400 },
      ),
    };
  }
}

// GET /sse
export async function handleSseConnect(request: Request): Promise<Response> {
  const refused = hostRefusal(request);
  if (refused) return refused;
  try {
    const credentials = credentialsFromRequest(new URL(request.url), request.headers);
    const identity = await authenticateRequest(request, credentials, {
      requireAllFields: true,
      auditRefusalsFrom: 'sse',
    });
    const baseUrl = baseUrlOf(request);
    // The session outlives this request's handling: see outside-request.ts.
    const session = await outsideRequest(() =>
      openSession({
        kind: 'sse',
        identity,
        credentials,
        baseUrl,
        createTransport: (sessionId, messageKey) =>
          new WebSseServerTransport({ sessionId, messageKey, endpoint: SSE_MESSAGE_ENDPOINT }),
      }),
    );
    const transport = session.transport as WebSseServerTransport;
    request.signal.addEventListener('abort', () => void endSession(session.id, 'disconnected'));
    return new Response(transport.stream, {
      headers: {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

// POST /sse/message?sessionId=&key=
export async function handleSseMessage(request: Request): Promise<Response> {
  const refused = hostRefusal(request);
  if (refused) return refused;
  const query = new URL(request.url).searchParams;
  // The session key is this endpoint's credential: wrong keys count as failed authentications.
  const client = agentClient(request.headers);
  try {
    assertAgentClientNotThrottled(client);
  } catch (error) {
    return errorResponse(error);
  }
  // Without the key the stream announced, a session id is indistinguishable from an unknown one.
  const session = sseSessionForMessage(query.get('sessionId') ?? '', query.get('key') ?? '');
  if (!session) {
    agentAuthenticationFailed(client);
    return jsonError(404, 'unknown_session', 'No open session with this id: connect to /sse again');
  }
  if ('endedBecause' in session) {
    return jsonError(
      404,
      'session_ended',
      `This session has ended (${session.endedBecause}): connect to /sse again with your current access token`,
    );
  }
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const lost = await authenticationLost(session);
  if (lost) return lost;
  try {
    const transport = session.transport as WebSseServerTransport;
    outsideRequest(() => transport.receive(read.body));
  } catch {
    return Response.json(
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } },
      { status: 400 },
    );
  }
  // `no-transform`: `next start` would otherwise gzip this one word, on every call of every agent.
  return new Response('Accepted', { status: 202, headers: { 'Cache-Control': 'no-store, no-transform' } });
}

/** Re-checks a session's credentials; on failure ends it and answers with the failed check. */
async function authenticationLost(session: LiveSession): Promise<Response | null> {
  try {
    await reauthenticate(session);
    return null;
  } catch (error) {
    if (isAppError(error)) await endSession(session.id, error.message);
    return errorResponse(error);
  }
}

// GET, POST, DELETE /mcp
export async function handleMcp(request: Request): Promise<Response> {
  const refused = hostRefusal(request);
  if (refused) return refused;
  try {
    const credentials = credentialsFromRequest(new URL(request.url), request.headers);
    const sessionId = request.headers.get('mcp-session-id');
    const identity = await authenticateRequest(
      request,
      credentials,
      sessionId ? {} : { auditRefusalsFrom: 'streamable-http' },
    );
    let parsedBody: unknown;
    if (request.method === 'POST') {
      const read = await readJsonBody(request);
      if (!read.ok) return read.response;
      parsedBody = read.body;
    }

    if (sessionId) {
      // A session id answers only the member token and role that initialised it.
      const session = liveSession(sessionId);
      if (!session || session.kind !== 'streamable-http' || !sameAgent(session, identity)) {
        const reason = session ? undefined : endedSessionReason(sessionId, identity.userId);
        return reason
          ? jsonError(404, 'session_ended', `This session has ended (${reason}): initialize a new one`)
          : jsonError(404, 'unknown_session', 'No open session with this id: initialize a new one');
      }
      const lost = await authenticationLost(session);
      if (lost) return lost;
      const transport = session.transport as WebStandardStreamableHTTPServerTransport;
      const response = await transport.handleRequest(request, { parsedBody });
      if (request.method === 'GET' && response.headers.get('content-type')?.startsWith('text/event-stream')) {
        holdStreamOpen(session, request.signal);
      }
      return response;
    }

    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonError(
        400,
        'invalid_input',
        'Start a session with an initialize request (POST), then send Mcp-Session-Id',
      );
    }
    const baseUrl = baseUrlOf(request);
    // The session outlives the initialize request: see outside-request.ts.
    const session = await outsideRequest(() =>
      openSession({
        kind: 'streamable-http',
        identity,
        credentials,
        baseUrl,
        createTransport: (id) =>
          new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => id,
            onsessionclosed: () => void endSession(id, 'closed by the client'),
          }),
      }),
    );
    return (session.transport as WebStandardStreamableHTTPServerTransport).handleRequest(request, { parsedBody });
  } catch (error) {
    return errorResponse(error);
  }
}
