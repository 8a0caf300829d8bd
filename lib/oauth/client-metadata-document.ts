// Client ID Metadata Documents (the MCP specification's default client registration): the
// client_id is an https URL, and the JSON document there describes the client. Aegis fetches it when
// the client asks for authorization — through the same public-address checks as webhooks and
// remotes (resolved, every address checked, the connection pinned), so a client_id cannot make the
// server probe its own network — with a size limit, a timeout and no redirects.
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { OAuthClientMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { resolveAllowedHost, type NetworkPolicy } from '../network/public-address';

const MAX_DOCUMENT_BYTES = 16 * 1024;
const TIMEOUT_MS = 5000;

export type MetadataDocumentClient = { clientId: string; name: string; redirectUris: string[] };

export type FetchOptions = NetworkPolicy & {
  /** Tests serve documents over plain http on loopback; production accepts https only. */
  allowHttp?: boolean;
};

/** Is this client_id a metadata document URL (https, with a path)? */
export function isMetadataDocumentClientId(clientId: string, allowHttp = false): boolean {
  try {
    const url = new URL(clientId);
    const schemeOk = url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
    return schemeOk && url.pathname !== '/' && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Fetches and checks a client's metadata document; null when it cannot be used (never throws). */
export async function fetchClientMetadataDocument(
  clientId: string,
  options: FetchOptions,
): Promise<MetadataDocumentClient | null> {
  if (!isMetadataDocumentClientId(clientId, options.allowHttp)) return null;
  const url = new URL(clientId);
  const host = await resolveAllowedHost(url.hostname, options);
  if (!host.ok) return null;
  const body = await getPinned(url, host.addresses);
  if (body === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const metadata = OAuthClientMetadataSchema.safeParse(parsed);
  // The document must name itself (so one client cannot borrow another's document).
  if (!metadata.success || (parsed as { client_id?: unknown }).client_id !== clientId) return null;
  const name = metadata.data.client_name?.trim() || url.host;
  return { clientId, name: name.slice(0, 200), redirectUris: metadata.data.redirect_uris.map(String) };
}

function getPinned(url: URL, addresses: string[]): Promise<string | null> {
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    const all = addresses.map((address) => ({ address, family: isIP(address) }));
    if (lookupOptions.all) (callback as (e: null, a: typeof all) => void)(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      { method: 'GET', headers: { Accept: 'application/json' }, lookup: pinned, agent: false, timeout: TIMEOUT_MS },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          resolve(null);
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DOCUMENT_BYTES) {
            response.destroy();
            resolve(null);
          } else chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', () => resolve(null));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(null));
    request.end();
  });
}
