// The authorization endpoint's request (OAuth 2.1 §4.1.1 with PKCE, RFC 8707 resource): checked in
// the order that keeps it from being an open redirector — the client and its redirect URI first
// (a failure there is shown to the user, never redirected), then everything else (a failure there
// goes back to the client's registered redirect URI as an OAuth error).
import { config } from '../config';
import { findClient } from './clients';
import { isValidPkceChallenge } from './secrets';
import { redirectHost, redirectUriMatches } from './redirect-uris';
import { roomOfResource } from './resource-urls';
import type { OAuthErrorCode } from './oauth-error';

export type AuthorizationRequest = {
  clientId: string;
  clientName: string;
  redirectUri: string;
  redirectHost: string;
  codeChallenge: string;
  state: string | null;
  resource: string;
  roomId: string;
};

export type CheckedAuthorizationRequest =
  | { ok: true; request: AuthorizationRequest }
  /** Shown on Aegis's page: the redirect URI cannot be trusted with an answer. */
  | { ok: false; show: string }
  /** Sent back to the client's (registered) redirect URI. */
  | { ok: false; redirect: string };

const single = (params: URLSearchParams, name: string) => {
  const values = params.getAll(name);
  return values.length === 1 ? values[0]! : values.length === 0 ? null : undefined;
};

export async function checkAuthorizationRequest(params: URLSearchParams): Promise<CheckedAuthorizationRequest> {
  const clientId = single(params, 'client_id');
  const redirectUri = single(params, 'redirect_uri');
  if (!clientId) return { ok: false, show: 'The agent did not say which client it is (client_id).' };
  const client = await findClient(clientId);
  if (!client) {
    return {
      ok: false,
      show: 'Aegis does not know this agent: it is not registered, or its client metadata document could not be used.',
    };
  }
  if (!redirectUri || !redirectUriMatches(client.redirectUris, redirectUri)) {
    return {
      ok: false,
      show: 'The agent asked to be sent to an address it did not register (redirect_uri), so Aegis will not send it there.',
    };
  }
  const state = single(params, 'state');
  const back = (error: OAuthErrorCode, description: string) => ({
    ok: false as const,
    redirect: errorRedirect(redirectUri, error, description, state ?? null),
  });
  if (state === undefined) return back('invalid_request', 'state was sent more than once');
  if (single(params, 'response_type') !== 'code') return back('invalid_request', 'response_type must be code');
  const challenge = single(params, 'code_challenge');
  if (single(params, 'code_challenge_method') !== 'S256' || !challenge || !isValidPkceChallenge(challenge)) {
    return back('invalid_request', 'PKCE is required: code_challenge with code_challenge_method S256');
  }
  const resource = single(params, 'resource');
  if (!resource) {
    return back('invalid_target', "resource is required: the room's MCP URL (<Aegis URL>/rooms/<room id>/mcp)");
  }
  const roomId = roomOfResource(resource, config().AEGIS_PUBLIC_URL);
  if (!roomId) {
    return back(
      'invalid_target',
      "resource must be a room's MCP URL (<Aegis URL>/rooms/<room id>/mcp, shown on the room page)",
    );
  }
  return {
    ok: true,
    request: {
      clientId,
      clientName: client.name,
      redirectUri,
      redirectHost: redirectHost(redirectUri),
      codeChallenge: challenge,
      state,
      resource,
      roomId,
    },
  };
}

/** The redirect URI with the given parameters added (its own query kept). */
export function redirectWith(redirectUri: string, params: Record<string, string | null>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return url.toString();
}

export function errorRedirect(redirectUri: string, error: string, description: string, state: string | null) {
  return redirectWith(redirectUri, { error, error_description: description, state });
}
