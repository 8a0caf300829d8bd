// Which Aegis user a GitHub or OIDC sign-in becomes. Aegis users are keyed by email, so the
// provider's word about the email is all that ties a sign-in to an account: only an email the
// provider says it verified counts. An unverified one is refused outright, for an existing
// account (that would hand the account to whoever typed its address at the provider) and for a
// new one alike (that would claim the address before its owner signs up).

export type OAuthIdentity = {
  email: string | null | undefined;
  emailVerified: boolean;
  name: string | null | undefined;
};

/** The error codes the sign-in page explains. */
export type OAuthRefusal = 'OAuthEmailMissing' | 'OAuthEmailNotVerified';

export type OAuthSignInDecision =
  | { outcome: 'existing'; userId: string }
  | { outcome: 'create'; email: string; name: string }
  | { outcome: 'refuse'; error: OAuthRefusal };

export function decideOAuthSignIn(identity: OAuthIdentity, existingUser: { id: string } | null): OAuthSignInDecision {
  const email = identity.email?.trim().toLowerCase();
  if (!email) return { outcome: 'refuse', error: 'OAuthEmailMissing' };
  if (identity.emailVerified !== true) return { outcome: 'refuse', error: 'OAuthEmailNotVerified' };
  if (existingUser) return { outcome: 'existing', userId: existingUser.id };
  return { outcome: 'create', email, name: identity.name?.trim() || email };
}

/** What the provider says about the email: GitHub's primary verified email, OIDC's `email_verified`. */
export function oauthIdentity(provider: string, profile: Record<string, unknown> | undefined): OAuthIdentity {
  const email = typeof profile?.email === 'string' ? profile.email : null;
  const name =
    typeof profile?.name === 'string' ? profile.name : typeof profile?.login === 'string' ? profile.login : null;
  // GitHub: our userinfo request (auth-options.ts) puts the primary verified email there, or none.
  // OIDC: the claim must be the boolean true; anything else ("true", absent) is not a verification.
  const verified = (provider === 'github' || provider === 'oidc') && profile?.email_verified === true;
  return { email, emailVerified: verified, name };
}

export type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/** The account's primary email from GitHub's /user/emails, if GitHub has verified it; else null. */
export function primaryVerifiedGitHubEmail(emails: unknown): string | null {
  if (!Array.isArray(emails)) return null;
  const primary = emails.find(
    (e): e is GitHubEmail => typeof e === 'object' && e !== null && (e as GitHubEmail).primary === true,
  );
  return primary && primary.verified === true && typeof primary.email === 'string' ? primary.email : null;
}
