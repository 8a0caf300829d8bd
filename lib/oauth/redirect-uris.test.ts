// Redirect URIs: what may be registered, and exact matching with RFC 8252's loopback port exception.
import { describe, expect, it } from 'vitest';
import { redirectHost, redirectUriMatches, redirectUriProblem } from './redirect-uris';

describe('redirectUriProblem', () => {
  it.each([
    'https://app.example/callback',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:33418/',
    'http://[::1]:8080/cb',
    'http://localhost:6274/oauth/callback',
    'cursor://anysphere.cursor-retrieval/oauth/callback',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => expect(redirectUriProblem(uri)).toBeNull());

  it.each([
    'http://app.example/callback',
    'http://127.0.0.1.attacker.example/cb',
    'https://app.example/cb#frag',
    'https://user:pw@app.example/cb',
    'javascript:alert(1)',
    'data:text/html,hi',
    'file:///etc/passwd',
    '/relative',
    'not a url',
  ])('refuses %s', (uri) => expect(redirectUriProblem(uri)).not.toBeNull());
});

describe('redirectUriMatches', () => {
  const registered = ['https://app.example/cb?x=1', 'http://127.0.0.1/callback', 'http://localhost:5000/cb'];

  it('matches exactly', () => {
    expect(redirectUriMatches(registered, 'https://app.example/cb?x=1')).toBe(true);
    expect(redirectUriMatches(registered, 'https://app.example/cb')).toBe(false);
    expect(redirectUriMatches(registered, 'https://app.example/cb?x=1&y=2')).toBe(false);
    expect(redirectUriMatches(registered, 'https://APP.example/cb?x=1')).toBe(false);
    expect(redirectUriMatches(registered, 'https://app.example:443/cb?x=1')).toBe(false);
  });

  it('ignores only the port of a loopback redirect', () => {
    expect(redirectUriMatches(registered, 'http://127.0.0.1:49152/callback')).toBe(true);
    expect(redirectUriMatches(registered, 'http://localhost:1234/cb')).toBe(true);
    expect(redirectUriMatches(registered, 'http://127.0.0.1:49152/callback/../x')).toBe(false);
    expect(redirectUriMatches(registered, 'http://127.0.0.1:49152/other')).toBe(false);
    expect(redirectUriMatches(registered, 'http://localhost:49152/callback')).toBe(false);
    expect(redirectUriMatches(registered, 'https://127.0.0.1:49152/callback')).toBe(false);
    expect(redirectUriMatches(registered, 'http://127.0.0.1:49152/callback?code=injected')).toBe(false);
    expect(redirectUriMatches(registered, 'http://u:p@127.0.0.1:49152/callback')).toBe(false);
  });

  it('names the host the code goes to', () => {
    expect(redirectHost('http://127.0.0.1:49152/callback')).toBe('127.0.0.1:49152');
    expect(redirectHost('cursor://anysphere.cursor-retrieval/oauth/callback')).toBe('anysphere.cursor-retrieval');
    expect(redirectHost('com.example.app:/oauth2redirect')).toBe('com.example.app');
  });
});
