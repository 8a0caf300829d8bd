// next-auth configuration: email + password (Credentials), plus GitHub and a generic OIDC
// provider when their environment variables are set. Sessions are JWTs whose subject is the
// Aegis user id and which carry the user's session version (lib/auth/session-version.ts).
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import type { Provider } from 'next-auth/providers/index';
import { config } from '../config';
import { db } from '../db';
import { authenticateUser } from '../users/authenticate-user';
import { decideOAuthSignIn, oauthIdentity, primaryVerifiedGitHubEmail } from './oauth-sign-in';
import { assertSessionCurrent, SESSION_MAX_AGE_SECONDS } from './session-version';

function githubProvider(clientId: string, clientSecret: string): Provider {
  return GitHubProvider({
    clientId,
    clientSecret,
    authorization: { params: { scope: 'read:user user:email' } },
    // GitHub's profile email is whatever the user made public; the email Aegis goes by is the
    // account's primary one, and only when GitHub has verified it (from /user/emails).
    userinfo: {
      url: 'https://api.github.com/user',
      async request({ tokens }) {
        const headers = { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/vnd.github+json' };
        const profile = await (await fetch('https://api.github.com/user', { headers })).json();
        const emails = await fetch('https://api.github.com/user/emails', { headers });
        const email = emails.ok ? primaryVerifiedGitHubEmail(await emails.json()) : null;
        return { ...profile, email, email_verified: email !== null };
      },
    },
  });
}

function oauthProviders(): Provider[] {
  const env = config();
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) providers.push(githubProvider(env.GITHUB_ID, env.GITHUB_SECRET));
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: 'oidc',
      name: 'Single sign-on',
      type: 'oauth',
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile: (p: { sub: string; name?: string; email?: string }) => ({
        id: p.sub,
        name: p.name ?? p.email,
        email: p.email,
      }),
    });
  }
  return providers;
}

/** The OAuth providers switched on, for the sign-in page. */
export function oauthProviderList(): { id: string; name: string }[] {
  return oauthProviders().map((p) => ({ id: p.id, name: p.name }));
}

type SignedInUser = { id: string; sessionVersion?: number };

export function authOptions(): NextAuthOptions {
  return {
    secret: config().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    // next-auth's own error page is replaced by the sign-in page, which explains the error codes.
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        authorize: async (credentials) => authenticateUser(credentials?.email ?? '', credentials?.password ?? ''),
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth sign-ins map onto an Aegis user by the provider's verified email (oauth-sign-in.ts).
      async signIn({ user, account, profile }) {
        if (!account || account.type === 'credentials') return true;
        const identity = oauthIdentity(account.provider, profile as Record<string, unknown> | undefined);
        const email = identity.email?.trim().toLowerCase();
        const existing = email
          ? await db.user.findUnique({ where: { email }, select: { id: true, sessionVersion: true } })
          : null;
        const decision = decideOAuthSignIn(identity, existing);
        if (decision.outcome === 'refuse') return `/sign-in?error=${decision.error}`;
        const signedIn =
          decision.outcome === 'existing'
            ? existing!
            : await db.user.upsert({
                where: { email: decision.email },
                update: {},
                create: { email: decision.email, name: decision.name },
                select: { id: true, sessionVersion: true },
              });
        Object.assign(user, { id: signedIn.id, sessionVersion: signedIn.sessionVersion });
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          const signedIn = user as SignedInUser;
          return { ...token, sub: signedIn.id, sessionVersion: signedIn.sessionVersion ?? 0 };
        }
        await assertSessionCurrent(token);
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
    logger: {
      // A session ended by a password change is expected, not an error worth a stack trace.
      error(code, metadata) {
        if (code === 'JWT_SESSION_ERROR' && (metadata as { name?: string })?.name === 'SessionEndedError') return;
        console.error(`[next-auth][error][${code}]`, metadata);
      },
      warn(code) {
        console.warn(`[next-auth][warn][${code}]`);
      },
      debug() {},
    },
  };
}
