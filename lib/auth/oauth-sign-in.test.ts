import { describe, expect, it } from 'vitest';
import { decideOAuthSignIn, oauthIdentity, primaryVerifiedGitHubEmail } from './oauth-sign-in';

describe('decideOAuthSignIn', () => {
  const existing = { id: 'user_1' };

  it('signs into the existing account only with a verified email', () => {
    expect(decideOAuthSignIn({ email: 'Ada@Example.com', emailVerified: true, name: 'Ada' }, existing)).toEqual({
      outcome: 'existing',
      userId: 'user_1',
    });
    expect(decideOAuthSignIn({ email: 'ada@example.com', emailVerified: false, name: 'Ada' }, existing)).toEqual({
      outcome: 'refuse',
      error: 'OAuthEmailNotVerified',
    });
  });

  it('creates an account for a new verified email, and refuses an unverified one', () => {
    expect(decideOAuthSignIn({ email: ' New@Example.com ', emailVerified: true, name: null }, null)).toEqual({
      outcome: 'create',
      email: 'new@example.com',
      name: 'new@example.com',
    });
    expect(decideOAuthSignIn({ email: 'new@example.com', emailVerified: false, name: 'New' }, null)).toEqual({
      outcome: 'refuse',
      error: 'OAuthEmailNotVerified',
    });
  });

  it('refuses a sign-in without an email', () => {
    for (const email of [null, undefined, '', '  ']) {
      expect(decideOAuthSignIn({ email, emailVerified: true, name: 'x' }, existing)).toEqual({
        outcome: 'refuse',
        error: 'OAuthEmailMissing',
      });
    }
  });
});

describe('oauthIdentity', () => {
  it('OIDC: only email_verified === true counts', () => {
    expect(oauthIdentity('oidc', { email: 'a@b.c', email_verified: true }).emailVerified).toBe(true);
    for (const claim of [false, 'true', 1, undefined, null]) {
      expect(oauthIdentity('oidc', { email: 'a@b.c', email_verified: claim }).emailVerified).toBe(false);
    }
  });

  it('GitHub: the verified flag set from /user/emails', () => {
    expect(oauthIdentity('github', { email: 'a@b.c', email_verified: true, login: 'octo' })).toEqual({
      email: 'a@b.c',
      emailVerified: true,
      name: 'octo',
    });
    // GitHub's own profile email (public, not checked by us) is not enough
    expect(oauthIdentity('github', { email: 'a@b.c', login: 'octo' }).emailVerified).toBe(false);
  });

  it('any other provider is never trusted for the email', () => {
    expect(oauthIdentity('other', { email: 'a@b.c', email_verified: true }).emailVerified).toBe(false);
    expect(oauthIdentity('oidc', undefined)).toEqual({ email: null, emailVerified: false, name: null });
  });
});

describe('primaryVerifiedGitHubEmail', () => {
  it('picks the primary email when it is verified', () => {
    expect(
      primaryVerifiedGitHubEmail([
        { email: 'other@example.com', primary: false, verified: true },
        { email: 'main@example.com', primary: true, verified: true },
      ]),
    ).toBe('main@example.com');
  });

  it('gives none when the primary is unverified, even if another email is verified', () => {
    expect(
      primaryVerifiedGitHubEmail([
        { email: 'other@example.com', primary: false, verified: true },
        { email: 'main@example.com', primary: true, verified: false },
      ]),
    ).toBeNull();
  });

  it('gives none for anything that is not a list of emails', () => {
    expect(primaryVerifiedGitHubEmail({ message: 'Bad credentials' })).toBeNull();
    expect(primaryVerifiedGitHubEmail([])).toBeNull();
    expect(primaryVerifiedGitHubEmail([null, 'x'])).toBeNull();
  });
});
