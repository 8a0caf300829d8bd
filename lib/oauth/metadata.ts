// The discovery documents: authorization server metadata (RFC 8414) and protected resource metadata
// (RFC 9728) for each room's MCP URL — and for /mcp and /sse, whose 401s point here too, so a client
// that tries OAuth there learns where the authorization server is (which then asks for a room URL).
// Shapes are checked against the MCP SDK's own schemas, the ones its clients parse them with.
import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { trimBase } from './resource-urls';

export function authorizationServerMetadata(base: string): OAuthMetadata {
  const issuer = trimBase(base);
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    client_id_metadata_document_supported: true,
    service_documentation: `${issuer}/integrations`,
  };
}

export function protectedResourceMetadata(base: string, resource: string): OAuthProtectedResourceMetadata {
  return {
    resource,
    authorization_servers: [trimBase(base)],
    bearer_methods_supported: ['header'],
    resource_documentation: `${trimBase(base)}/integrations`,
  };
}
