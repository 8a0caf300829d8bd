// Which `resource` parameters name a room's MCP URL: exactly one spelling, on an origin Aegis serves.
import { describe, expect, it } from 'vitest';
import { protectedResourceMetadataUrl, roomOfResource } from './resource-urls';

describe('roomOfResource', () => {
  const publicUrl = 'https://aegis.example';

  it('accepts the canonical room URL on the public origin', () => {
    expect(roomOfResource('https://aegis.example/rooms/abc123/mcp', publicUrl)).toBe('abc123');
  });

  it.each([
    'https://aegis.example/rooms/abc123/mcp/',
    'https://aegis.example/rooms/abc123/mcp?x=1',
    'https://aegis.example/rooms/abc123/mcp#x',
    'https://aegis.example/rooms/abc123/../other/mcp',
    'https://aegis.example/rooms/a%2Fb/mcp',
    'https://aegis.example:443/rooms/abc123/mcp',
    'https://AEGIS.example/rooms/abc123/mcp',
    'https://attacker.example/rooms/abc123/mcp',
    'http://aegis.example/rooms/abc123/mcp',
    'https://aegis.example/mcp',
    'https://aegis.example/rooms/abc123',
    'not a url',
  ])('refuses %s', (resource) => {
    expect(roomOfResource(resource, publicUrl)).toBeNull();
  });

  it('without a public URL, accepts loopback origins only', () => {
    expect(roomOfResource('http://localhost:3000/rooms/r1/mcp', undefined)).toBe('r1');
    expect(roomOfResource('http://127.0.0.1:3000/rooms/r1/mcp', undefined)).toBe('r1');
    expect(roomOfResource('http://attacker.example/rooms/r1/mcp', undefined)).toBeNull();
  });

  it('puts the metadata at the RFC 9728 well-known path', () => {
    expect(protectedResourceMetadataUrl('https://aegis.example/rooms/r1/mcp')).toBe(
      'https://aegis.example/.well-known/oauth-protected-resource/rooms/r1/mcp',
    );
  });
});
