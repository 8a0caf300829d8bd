// The credentials an agent connects with: query parameters (the documented /sse contract) or, on
// /mcp, headers (Authorization: Bearer plus X-Aegis-User / -Room / -Role). The token is the member's
// own token for the room, so it alone identifies user and room; user and room, when given, must
// agree with it.
//
// On a room's own MCP URL the token may also be an OAuth access token, bound to that URL: `resource`
// is the URL the request came to, which the token's audience must be exactly.
export type AgentCredentials = { userId: string; roomId: string; token: string; role: string; resource?: string };

export function credentialsFromRequest(url: URL, headers: Headers): AgentCredentials {
  const query = url.searchParams;
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '')?.[1]?.trim();
  return {
    userId: query.get('user_id') ?? headers.get('x-aegis-user') ?? '',
    roomId: query.get('room_id') ?? headers.get('x-aegis-room') ?? '',
    token: query.get('access_token') ?? bearer ?? '',
    role: query.get('role') ?? headers.get('x-aegis-role') ?? '',
  };
}
