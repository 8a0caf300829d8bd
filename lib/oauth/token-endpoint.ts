// The token endpoint (OAuth 2.1 §4.1.3 and §4.3): an authorization code with its PKCE verifier, or
// a refresh token, exchanged for a short-lived access token and a new refresh token.
//
// - A code works once, within a minute, for the client, redirect URI and verifier it was issued
//   for; one presented again revokes the grant its first use created (RFC 6749 §4.1.2).
// - A refresh token works once (it rotates); one presented again is taken as stolen and revokes the
//   whole grant, the tokens it rotated into included (OAuth 2.1 §4.3.1).
// - Every check happens before anything is written, so a refused request changes nothing (apart
//   from the replay revocations above, which are the point).
import { timingSafeEqual } from 'node:crypto';
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { roleAtLeast } from '../rooms/permissions';
import { oauthError } from './oauth-error';
import {
  digestOAuthSecret,
  generateOAuthSecret,
  isValidPkceVerifier,
  looksLikeOAuthSecret,
  pkceChallenge,
} from './secrets';
import { revokeGrant } from './grants';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60;

export type TokenResponse = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
};

const field = (form: URLSearchParams, name: string) => {
  const values = form.getAll(name);
  if (values.length > 1) throw oauthError('invalid_request', `${name} was sent more than once`);
  return values[0] ?? '';
};

export async function exchangeTokenRequest(form: URLSearchParams): Promise<TokenResponse> {
  const grantType = field(form, 'grant_type');
  if (grantType === 'authorization_code') return exchangeCode(form);
  if (grantType === 'refresh_token') return refresh(form);
  throw oauthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const lowerRole = (a: Role, b: Role): Role => (roleAtLeast(a, b) ? b : a);

async function exchangeCode(form: URLSearchParams): Promise<TokenResponse> {
  const code = field(form, 'code');
  const clientId = field(form, 'client_id');
  const redirectUri = field(form, 'redirect_uri');
  const verifier = field(form, 'code_verifier');
  const resource = field(form, 'resource');
  if (!code || !clientId || !redirectUri) {
    throw oauthError('invalid_request', 'code, client_id and redirect_uri are required');
  }
  if (!verifier) throw oauthError('invalid_request', 'code_verifier is required (PKCE)');
  const invalidCode = () => oauthError('invalid_grant', 'The authorization code is not valid (or was already used)');
  if (!looksLikeOAuthSecret('code', code)) throw invalidCode();
  const digest = digestOAuthSecret(code);
  const issued = await db.oAuthAuthorizationCode.findUnique({ where: { digest } });
  if (!issued) throw invalidCode();
  if (issued.usedAt) {
    // A code seen twice was intercepted or replayed: nothing issued from it stays valid.
    if (issued.grantId) await revokeGrant(issued.grantId, 'authorization code used twice');
    throw invalidCode();
  }
  if (issued.expiresAt.getTime() <= Date.now()) throw oauthError('invalid_grant', 'The authorization code has expired');
  if (issued.clientId !== clientId) throw invalidCode();
  if (issued.redirectUri !== redirectUri) {
    throw oauthError('invalid_grant', 'redirect_uri is not the one the code was issued for');
  }
  if (!isValidPkceVerifier(verifier) || !sameString(pkceChallenge(verifier), issued.codeChallenge)) {
    throw oauthError('invalid_grant', 'The code_verifier does not match the code_challenge (PKCE)');
  }
  if (resource && resource !== issued.resource) {
    throw oauthError('invalid_target', 'resource is not the one the code was issued for');
  }
  const member = await db.member.findUnique({
    where: { roomId_userId: { roomId: issued.roomId, userId: issued.userId } },
    select: { role: true, room: { select: { archivedAt: true } } },
  });
  if (!member || member.room.archivedAt) {
    throw oauthError('invalid_grant', 'The user is no longer a member of this room');
  }

  return db.$transaction(async (tx) => {
    // Only one exchange wins, however many arrive at once; the losers count as replays.
    const claimed = await tx.oAuthAuthorizationCode.updateMany({
      where: { digest, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) throw invalidCode();
    const grant = await tx.oAuthGrant.create({
      data: {
        clientId: issued.clientId,
        clientName: issued.clientName,
        redirectUri: issued.redirectUri,
        userId: issued.userId,
        roomId: issued.roomId,
        role: lowerRole(issued.role, member.role),
        resource: issued.resource,
        lastUsedAt: new Date(),
      },
      select: { id: true },
    });
    await tx.oAuthAuthorizationCode.update({ where: { digest }, data: { grantId: grant.id } });
    return issueTokens(tx, grant.id);
  });
}

async function refresh(form: URLSearchParams): Promise<TokenResponse> {
  const token = field(form, 'refresh_token');
  const clientId = field(form, 'client_id');
  const resource = field(form, 'resource');
  if (!token || !clientId) throw oauthError('invalid_request', 'refresh_token and client_id are required');
  const invalidToken = () => oauthError('invalid_grant', 'The refresh token is not valid (it may have been revoked)');
  if (!looksLikeOAuthSecret('refresh', token)) throw invalidToken();
  const digest = digestOAuthSecret(token);
  const stored = await db.oAuthToken.findUnique({
    where: { digest },
    select: {
      kind: true,
      usedAt: true,
      expiresAt: true,
      grant: { select: { id: true, clientId: true, resource: true, revokedAt: true, roomId: true, userId: true } },
    },
  });
  if (!stored || stored.kind !== 'refresh' || stored.grant.revokedAt) throw invalidToken();
  if (stored.grant.clientId !== clientId) throw invalidToken();
  if (stored.usedAt) {
    await revokeGrant(stored.grant.id, 'refresh token used twice');
    throw invalidToken();
  }
  if (stored.expiresAt.getTime() <= Date.now()) throw oauthError('invalid_grant', 'The refresh token has expired');
  if (resource && resource !== stored.grant.resource) {
    throw oauthError('invalid_target', 'resource is not the one this grant is for');
  }
  const grantId = stored.grant.id;
  const result = await db.$transaction(async (tx) => {
    const claimed = await tx.oAuthToken.updateMany({ where: { digest, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) return null;
    // Expired access tokens of the family are of no use to anyone.
    await tx.oAuthToken.deleteMany({ where: { grantId, kind: 'access', expiresAt: { lt: new Date() } } });
    await tx.oAuthGrant.update({ where: { id: grantId }, data: { lastUsedAt: new Date() } });
    return issueTokens(tx, grantId);
  });
  if (!result) {
    // Two refreshes with one token at once: one of them is not the client.
    await revokeGrant(grantId, 'refresh token used twice');
    throw invalidToken();
  }
  return result;
}

async function issueTokens(tx: Prisma.TransactionClient, grantId: string): Promise<TokenResponse> {
  const access = generateOAuthSecret('access');
  const refreshToken = generateOAuthSecret('refresh');
  const now = Date.now();
  await tx.oAuthToken.createMany({
    data: [
      {
        digest: digestOAuthSecret(access),
        grantId,
        kind: 'access',
        expiresAt: new Date(now + ACCESS_TOKEN_SECONDS * 1000),
      },
      {
        digest: digestOAuthSecret(refreshToken),
        grantId,
        kind: 'refresh',
        expiresAt: new Date(now + REFRESH_TOKEN_SECONDS * 1000),
      },
    ],
  });
  return { access_token: access, token_type: 'Bearer', expires_in: ACCESS_TOKEN_SECONDS, refresh_token: refreshToken };
}
