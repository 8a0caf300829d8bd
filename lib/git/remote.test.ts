// Which remote URLs Aegis accepts, how credentials are separated from them, and how
// credentials are scrubbed from text that git prints.

import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { redact, redactUrl } from './redact';
import { TOKEN_USERNAME, resolveRemote } from './remote';

describe('resolveRemote', () => {
  it('moves credentials out of an http(s) URL', () => {
    const remote = resolveRemote({ url: 'https://bob:p%40ss@git.example.com/team/repo.git' });
    expect(remote).toMatchObject({
      url: 'https://git.example.com/team/repo.git',
      displayUrl: 'https://git.example.com/team/repo.git',
      localPath: null,
      username: 'bob',
      password: 'p@ss',
    });
  });

  it('prefers explicit credentials and defaults the user name for a bare token', () => {
    expect(resolveRemote({ url: 'https://u:old@h.example/r.git', password: 'new' })).toMatchObject({
      username: 'u',
      password: 'new',
    });
    expect(resolveRemote({ url: 'https://h.example/r.git', password: 'tok' })).toMatchObject({
      username: TOKEN_USERNAME,
      password: 'tok',
    });
    expect(resolveRemote({ url: 'https://h.example/r.git' }).username).toBeUndefined();
  });

  it('accepts local paths, file://, ssh:// and scp-like URLs', () => {
    expect(resolveRemote({ url: '/srv/git/repo.git' })).toMatchObject({ localPath: '/srv/git/repo.git' });
    expect(resolveRemote({ url: 'file:///srv/git/repo.git' })).toMatchObject({ localPath: '/srv/git/repo.git' });
    expect(resolveRemote({ url: 'ssh://git@h.example/r.git' })).toMatchObject({ displayUrl: 'ssh://h.example/r.git' });
    expect(resolveRemote({ url: 'git@github.com:org/repo.git' })).toMatchObject({
      displayUrl: 'github.com:org/repo.git',
    });
  });

  it('refuses what git could be tricked with', () => {
    for (const url of [
      '',
      'ext::sh -c id',
      'fd::3',
      '-uhelp',
      'relative/dir',
      'ftp://h/r.git',
      'ssh://-oProxyCommand=id/r',
      'ssh://u:pw@h/r.git',
      'https://h.example/r.git\nx',
      'https://%zz@h.example/r.git',
    ]) {
      let error: unknown;
      try {
        resolveRemote({ url });
      } catch (e) {
        error = e;
      }
      expect(error, url).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_input');
    }
  });
});

describe('redact', () => {
  it('removes URL user-info and every known secret, also percent-encoded', () => {
    expect(redactUrl('https://u:pw@h/r.git')).toBe('https://h/r.git');
    expect(redact("fatal: Authentication failed for 'https://u:pw@h/r.git/'")).toBe(
      "fatal: Authentication failed for 'https://***@h/r.git/'",
    );
    expect(redact('token a/b+c and a%2Fb%2Bc', ['a/b+c'])).toBe('token *** and ***');
  });
});
