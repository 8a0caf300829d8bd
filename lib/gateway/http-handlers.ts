// The gateway's HTTP surface as Web-standard handlers (Request → Response), so the Next.js route
// handlers stay one line each: GET /sse opens an HTTP+SSE session, POST /sse/message carries its
// client messages, and /mcp is the Streamable HTTP endpoint. Every request passes the Host/Origin
// check and a body-size limit before anything is parsed; credentials are checked before any
// transport sees the request. Errors are JSON with a stable `error` code; URLs, tokens and query
// strings are never logged.
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest, JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { config } from '../config';
import { AppError, isAppError } from '../errors';
import { errorResponse as appErrorResponse, jsonError } from '../http/error-response';
import { payloadTooLarge, readBodyUpTo } from '../http/request-body';
import { credentialsFromRequest, type AgentCredentials } from './agent-credentials';
import { agentAuthenticationFailed, agentClient, assertAgentClientNotThrottled } from './agent-auth-throttle';
import { authenticateAgent, type AuthenticateOptions } from './authenticate-agent';
import {
  endSession,
  openHttpSession,
  openSseSession,
  reauthenticate,
  sseSessionForMessage,
  touchHttpSession,
  type LiveSession,
} from './agent-sessions';
import { findHttpSession, openGetStream, sameAgent, trackRequest, type HttpSession } from './http-sessions';
import { createMcpServer } from './mcp-server';
import { listenForRelayedMessages, relayMessage, relayTarget } from './sse-relay';
import { isAllowedHost } from './host-check';
import { outsideRequest } from './outside-request';
import { dashboardBaseUrl, publicBaseUrl } from '../integrations/public-url';
import { protectedResourceMetadataUrl, ROOM_ID_PATTERN, roomResourceUrl } from '../oauth/resource-urls';
import { WebSseServerTransport } from './web-sse-transport';

const SSE_MESSAGE_ENDPOINT = '/sse/message';

// Unlike dashboard routes, an unexpected failure here is answered as "unavailable": the agent may
// retry, and nothing was done.
function errorResponse(error: unknown, request?: Request, resource?: string): Response {
  if (isAppError(error)) {
    const response = appErrorResponse(error);
    // RFC 6750 and RFC 9728: a 401 names its scheme and where the protected resource metadata is,
    // so an OAuth-capable client knows where to sign in (MCP authorization).
    if (response.status === 401) response.headers.set('WWW-Authenticate', bearerChallenge(request, resource));
    const retryAfter = error.details?.retryAfterSeconds;
    if (response.status === 429 && typeof retryAfter === 'number')
      response.headers.set('Retry-After', String(retryAfter));
    return response;
  }
  console.error('[aegis] gateway request failed', error);
  return jsonError(503, 'unavailable', 'Aegis could not check this request right now; nothing was done');
}

function bearerChallenge(request: Request | undefined, resource: string | undefined): string {
  const parts = ['Bearer realm="aegis"'];
  if (request) {
    const target =
      resource ?? `${oauthBaseUrl(request)}${new URL(request.url).pathname.startsWith('/sse') ? '/sse' : '/mcp'}`;
    parts.push(`resource_metadata="${protectedResourceMetadataUrl(target)}"`);
    if (request.headers.has('authorization') || new URL(request.url).searchParams.has('access_token'))
      parts.push('error="invalid_token"');
  }
  return parts.join(', ');
}

/** Where this Aegis is reached: AEGIS_PUBLIC_URL, or the (host-checked) origin the agent used. */
function oauthBaseUrl(request: Request): string {
  return publicBaseUrl(request.headers.get('host'), request.headers.get('x-forwarded-proto')).baseUrl;
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
    await listenForRelayedMessages();
    const baseUrl = baseUrlOf(request);
    // The session outlives this request's handling: see outside-request.ts.
    const session = await outsideRequest(() =>
      openSseSession({
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
    return errorResponse(error, request);
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
  const sessionId = query.get('sessionId') ?? '';
  const key = query.get('key') ?? '';
  // The stream is held here (always so with one instance), or by another instance: relayed there.
  const session = sseSessionForMessage(sessionId, key) ?? (await relayTargetOrUnavailable(sessionId, key));
  if (session instanceof Response) return session;
  if (!session) {
    agentAuthenticationFailed(client);
    return jsonError(404, 'unknown_session', 'No open session with this id: connect to /sse again');
  }
  if (typeof session === 'object' && 'endedBecause' in session) {
    return jsonError(
      404,
      'session_ended',
      `This session has ended (${session.endedBecause}): connect to /sse again with your current access token`,
    );
  }
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  if (session === 'relay') {
    if (!JSONRPCMessageSchema.safeParse(read.body).success) return notJsonRpc();
    try {
      await relayMessage(sessionId, read.body);
    } catch (error) {
      return errorResponse(error);
    }
    return accepted();
  }
  const lost = await authenticationLost(session, request);
  if (lost) return lost;
  try {
    const transport = session.transport as WebSseServerTransport;
    outsideRequest(() => transport.receive(read.body));
  } catch {
    return notJsonRpc();
  }
  return accepted();
}

// `no-transform`: `next start` would otherwise gzip this one word, on every call of every agent.
const accepted = () =>
  new Response('Accepted', { status: 202, headers: { 'Cache-Control': 'no-store, no-transform' } });

const notJsonRpc = () =>
  Response.json(
    { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC 2.0 message' } },
    { status: 400 },
  );

/** A session whose stream another instance holds: 'relay' when the key opens it. */
async function relayTargetOrUnavailable(
  sessionId: string,
  key: string,
): Promise<'relay' | { endedBecause: string } | undefined | Response> {
  try {
    const target = await relayTarget(sessionId, key);
    return target === 'ok' ? 'relay' : target;
  } catch (error) {
    return errorResponse(error);
  }
}

/** Re-checks a session's credentials; on failure ends it and answers with the failed check. */
async function authenticationLost(session: LiveSession, request: Request, resource?: string): Promise<Response | null> {
  try {
    await reauthenticate(session);
    return null;
  } catch (error) {
    if (isAppError(error)) await endSession(session.id, error.message);
    return errorResponse(error, request, resource);
  }
}

// GET, POST, DELETE /mcp
export async function handleMcp(request: Request): Promise<Response> {
  const refused = hostRefusal(request);
  if (refused) return refused;
  return serveStreamableHttp(request, credentialsFromRequest(new URL(request.url), request.headers));
}

// GET, POST, DELETE /rooms/<roomId>/mcp — the room's own MCP URL: an OAuth access token bound to
// exactly this URL (MCP authorization), or a member token of this room, always in headers.
export async function handleRoomMcp(request: Request, roomId: string): Promise<Response> {
  const refused = hostRefusal(request);
  if (refused) return refused;
  if (!ROOM_ID_PATTERN.test(roomId)) return jsonError(404, 'not_found', 'No such MCP URL');
  const resource = roomResourceUrl(oauthBaseUrl(request), roomId);
  const url = new URL(request.url);
  if (url.searchParams.has('access_token')) {
    // The MCP specification forbids tokens in query strings; this URL never reads one.
    return errorResponse(
      new AppError('invalid_token', 'Send the access token in the Authorization header, never in the URL'),
      request,
      resource,
    );
  }
  const credentials = credentialsFromRequest(new URL(url.pathname, url.origin), request.headers);
  if (credentials.roomId && credentials.roomId !== roomId) {
    return errorResponse(
      new AppError('invalid_token', 'X-Aegis-Room names another room than this URL'),
      request,
      resource,
    );
  }
  return serveStreamableHttp(request, { ...credentials, roomId, resource }, resource);
}

async function serveStreamableHttp(request: Request, credentials: AgentCredentials, resource?: string) {
  try {
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
    // A grant's access tokens rotate while its session lives: the session keeps the newest one, and
    // the role it was opened with (so a grant capped below it ends the session).

    if (sessionId) {
      // A session id answers only the member token (or grant) and role that initialised it, on any instance.
      const session = await findHttpSession(sessionId, identity.userId);
      if (!session || 'endedBecause' in session || !sameAgent(session, identity)) {
        return session && 'endedBecause' in session
          ? jsonError(404, 'session_ended', `This session has ended (${session.endedBecause}): initialize a new one`)
          : jsonError(404, 'unknown_session', 'No open session with this id: initialize a new one');
      }
      await touchHttpSession(session);
      if (request.method === 'DELETE') {
        await endSession(session.id, 'closed by the client');
        return new Response(null, { status: 200 });
      }
      if (request.method === 'GET') return getStream(request, session);
      if (isInitializeRequest(parsedBody)) {
        return jsonError(400, 'invalid_input', 'This session is initialised already: send its requests');
      }
      return serveHttpRequest(request, session, credentials, parsedBody);
    }

    if (request.method !== 'POST' || !isInitializeRequest(parsedBody)) {
      return jsonError(
        400,
        'invalid_input',
        'Start a session with an initialize request (POST), then send Mcp-Session-Id',
      );
    }
    const session = await openHttpSession({ identity, initialize: parsedBody });
    const response = await serveHttpRequest(request, session, credentials, parsedBody);
    if (response.ok) response.headers.set('mcp-session-id', session.id);
    return response;
  } catch (error) {
    return errorResponse(error, request, resource);
  }
}

/**
 * One request of a Streamable HTTP session, served by a fresh MCP server on a stateless SDK
 * transport: the session's state is its record (checked by the caller), so the instance that
 * answers needs nothing from the one that answered before. Progress notifications and the answer
 * travel on this request's own response stream.
 */
async function serveHttpRequest(
  request: Request,
  session: HttpSession,
  credentials: AgentCredentials,
  parsedBody: unknown,
): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = createMcpServer(
    {
      sessionId: session.id,
      baseUrl: baseUrlOf(request),
      author: session.author,
      clientName: session.clientName,
      authenticate: async () => {
        const identity = await authenticateAgent(credentials);
        if (!sameAgent(session, identity)) {
          throw new AppError('invalid_token', 'The access token is not the one this session was opened with');
        }
        return identity;
      },
    },
    {
      onAuthLost: () => void endSession(session.id, 'credentials no longer valid'),
      onRequestStarted: (requestId) => trackRequest(session, requestId, transport),
    },
  );
  await server.connect(transport);
  return transport.handleRequest(request, { parsedBody });
}

/** GET /mcp: the session's stream for server-initiated messages (one per session and instance). */
function getStream(request: Request, session: HttpSession): Response {
  if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) {
    return jsonError(406, 'not_acceptable', 'A GET stream needs Accept: text/event-stream');
  }
  if (session.streams?.size) {
    return jsonError(409, 'conflict', 'This session already has a stream open');
  }
  return new Response(openGetStream(session, request.signal), {
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
      'mcp-session-id': session.id,
    },
  });
}
