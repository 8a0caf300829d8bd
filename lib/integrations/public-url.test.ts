import { describe, expect, it } from 'vitest';
import { dashboardBaseUrl, publicBaseUrl } from './public-url';

describe('publicBaseUrl without AEGIS_PUBLIC_URL', () => {
  it('uses the page origin when the gateway serves that host', () => {
    expect(publicBaseUrl('localhost:4000', null)).toEqual({ baseUrl: 'http://localhost:4000' });
    expect(publicBaseUrl('127.0.0.1:4000', 'https')).toEqual({ baseUrl: 'https://127.0.0.1:4000' });
  });

  it('falls back to localhost on the same port, and says so, for a host the gateway refuses', () => {
    expect(publicBaseUrl('192.0.2.2:4000', null)).toEqual({
      baseUrl: 'http://localhost:4000',
      refusedPageHost: '192.0.2.2:4000',
    });
  });
});

describe('dashboardBaseUrl', () => {
  it("points agents' links at the dashboard's origin rather than the host the agent used", () => {
    const agent = 'http://127.0.0.1:4000';
    expect(dashboardBaseUrl(agent, { NEXTAUTH_URL: 'http://localhost:4000/' })).toBe('http://localhost:4000');
    expect(
      dashboardBaseUrl(agent, { AEGIS_PUBLIC_URL: 'https://aegis.example', NEXTAUTH_URL: 'http://localhost:4000' }),
    ).toBe('https://aegis.example');
    expect(dashboardBaseUrl(agent, {})).toBe(agent);
  });
});
