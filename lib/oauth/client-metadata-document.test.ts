// Client ID Metadata Documents are fetched through the public-address checks: a client_id cannot
// make Aegis reach its own network unless the operator allows private networks; the document must
// name itself, stay small, and answer 200 without redirects.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchClientMetadataDocument, isMetadataDocumentClientId } from './client-metadata-document';

let server: http.Server;
let origin = '';
const requests: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const self = `${origin}${req.url}`;
    const documents: Record<string, unknown> = {
      '/client.json': { client_id: self, client_name: 'Doc agent', redirect_uris: ['http://127.0.0.1/callback'] },
      '/borrowed.json': { client_id: `${origin}/client.json`, redirect_uris: ['http://127.0.0.1/cb'] },
      '/no-redirects.json': { client_id: self },
      '/huge.json': { client_id: self, redirect_uris: ['http://127.0.0.1/cb'], pad: 'x'.repeat(100_000) },
    };
    if (req.url === '/moved.json') {
      res.writeHead(302, { Location: '/client.json' }).end();
      return;
    }
    const document = documents[req.url ?? ''];
    if (!document) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowed = { allowPrivateNetworks: true, allowHttp: true };

describe('fetchClientMetadataDocument', () => {
  it('reads a document that names itself', async () => {
    expect(await fetchClientMetadataDocument(`${origin}/client.json`, allowed)).toEqual({
      clientId: `${origin}/client.json`,
      name: 'Doc agent',
      redirectUris: ['http://127.0.0.1/callback'],
    });
  });

  it('refuses loopback and private addresses unless the operator allows private networks', async () => {
    const before = requests.length;
    expect(
      await fetchClientMetadataDocument(`${origin}/client.json`, { allowPrivateNetworks: false, allowHttp: true }),
    ).toBeNull();
    const lookup = async () => ['10.0.0.7'];
    expect(
      await fetchClientMetadataDocument('https://client.example/doc.json', { allowPrivateNetworks: false, lookup }),
    ).toBeNull();
    expect(requests.length).toBe(before);
  });

  it.each(['/borrowed.json', '/no-redirects.json', '/huge.json', '/moved.json', '/missing.json'])(
    'refuses %s',
    async (path) => {
      expect(await fetchClientMetadataDocument(`${origin}${path}`, allowed)).toBeNull();
    },
  );

  it('takes https URLs with a path as metadata document client ids', () => {
    expect(isMetadataDocumentClientId('https://client.example/oauth.json')).toBe(true);
    expect(isMetadataDocumentClientId('https://client.example/')).toBe(false);
    expect(isMetadataDocumentClientId('http://client.example/oauth.json')).toBe(false);
    expect(isMetadataDocumentClientId('aegis_client_abc')).toBe(false);
  });
});
