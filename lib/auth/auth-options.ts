// next-auth configuration: email + password (Credentials), plus GitHub and a generic OIDC
// provider when their environment variables are set. Sessions are JWTs whose subject is the
// Aegis user id.
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import GitHubProvider from 'next-auth/providers/github';
import type { Provider } from 'next-auth/providers/index';
import { config } from '../config';
import { db } from '../db';
import { authenticateUser } from '../users/authenticate-user';

function oauthProviders(): Provider[] {
  const env = config();
  const providers: Provider[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
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

export function authOptions(): NextAuthOptions {
  return {
    secret: config().NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
    pages: { signIn: '/sign-in' },
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        authorize: async (credentials) => authenticateUser(credentials?.email ?? '', credentials?.password ?? ''),
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth sign-ins map onto an Aegis user by verified email, created on first sign-in.
      async signIn({ user, account }) {
        if (!account || account.type === 'credentials') return true;
        if (!user.email) return false;
        const email = user.email.toLowerCase();
        const existing = await db.user.upsert({
          where: { email },
          update: {},
          create: { email, name: user.name ?? email },
          select: { id: true },
        });
        user.id = existing.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
