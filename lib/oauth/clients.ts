// OAuth clients: registered by dynamic client registration (RFC 7591, stored), or identified by a
// Client ID Metadata Document (client_id is an https URL, fetched on use). Every client is public
// (no secret: agents run on the user's machine) and proves itself with PKCE instead.
import { randomBytes } from 'node:crypto';
import { OAuthClientMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { config } from '../config';
import { db } from '../db';
import { fetchClientMetadataDocument, isMetadataDocumentClientId } from './client-metadata-document';
import { oauthError } from './oauth-error';
import { redirectUriProblem } from './redirect-uris';

export type OAuthClientInfo = { clientId: string; name: string; redirectUris: string[] };

const MAX_REDIRECT_URIS = 10;

/** RFC 7591: registers a public client; answers the registration response. */
export async function registerClient(input: unknown) {
  const parsed = OAuthClientMetadataSchema.safeParse(input);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'metadata';
    throw oauthError('invalid_client_metadata', `The client metadata is not valid (${field})`);
  }
  const metadata = parsed.data;
  const redirectUris = metadata.redirect_uris.map(String);
  if (redirectUris.length === 0 || redirectUris.length > MAX_REDIRECT_URIS) {
    throw oauthError('invalid_redirect_uri', `Register between 1 and ${MAX_REDIRECT_URIS} redirect URIs`);
  }
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw oauthError('invalid_redirect_uri', `The redirect URI ${uri.slice(0, 200)} ${problem}`);
  }
  const method = metadata.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') {
    throw oauthError('invalid_client_metadata', 'Only public clients are supported: token_endpoint_auth_method "none"');
  }
  for (const grant of metadata.grant_types ?? []) {
    if (grant !== 'authorization_code' && grant !== 'refresh_token') {
      throw oauthError('invalid_client_metadata', `The grant type ${grant.slice(0, 50)} is not supported`);
    }
  }
  const name = metadata.client_name?.trim().slice(0, 200) || 'Unnamed agent';
  const client = await db.oAuthClient.create({
    data: {
      id: `aegis_client_${randomBytes(16).toString('base64url')}`,
      name,
      redirectUris,
      clientUri: metadata.client_uri ? String(metadata.client_uri).slice(0, 2000) : null,
    },
  });
  return {
    client_id: client.id,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    client_name: client.name,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...(client.clientUri ? { client_uri: client.clientUri } : {}),
  };
}

/** The client a client_id names, or null when there is none (unknown, or a document Aegis cannot use). */
export async function findClient(clientId: string): Promise<OAuthClientInfo | null> {
  if (!clientId || clientId.length > 2000) return null;
  const settings = config();
  if (isMetadataDocumentClientId(clientId, settings.AEGIS_ALLOW_PRIVATE_NETWORKS)) {
    return fetchClientMetadataDocument(clientId, {
      allowPrivateNetworks: settings.AEGIS_ALLOW_PRIVATE_NETWORKS,
      allowHttp: settings.AEGIS_ALLOW_PRIVATE_NETWORKS,
    });
  }
  const client = await db.oAuthClient.findUnique({
    where: { id: clientId },
    select: { id: true, name: true, redirectUris: true },
  });
  return client && { clientId: client.id, name: client.name, redirectUris: client.redirectUris };
}
