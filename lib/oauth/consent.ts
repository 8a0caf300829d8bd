// What the consent page shows and what its buttons do. Approving issues a single-use authorization
// code for the role the member chose — at most their role in the room, checked again here, whatever
// the form said — and sends the agent back with it. Denying writes nothing.
import { db } from '../db';
import type { Role } from '../generated/prisma/enums';
import { AppError, invalid } from '../errors';
import { isRole, roleAtLeast, rolesUpTo } from '../rooms/permissions';
import { errorRedirect, redirectWith, type AuthorizationRequest } from './authorization-request';
import { verifyConsentRequest } from './consent-request';
import { digestOAuthSecret, generateOAuthSecret } from './secrets';

const CODE_LIFETIME_MS = 60_000;
/** Used and expired codes are kept this long, so a late replay still revokes what the code issued. */
const CODE_RETENTION_MS = 24 * 60 * 60_000;

export type ConsentRoom = { id: string; name: string; myRole: Role; roles: Role[] };

/** The room a request is for, as the signed-in member sees it; null when they are not a member. */
export async function consentRoom(userId: string, roomId: string): Promise<ConsentRoom | null> {
  const member = await db.member.findUnique({
    where: { roomId_userId: { roomId, userId } },
    select: { role: true, room: { select: { id: true, name: true, archivedAt: true } } },
  });
  if (!member || member.room.archivedAt) return null;
  return { id: member.room.id, name: member.room.name, myRole: member.role, roles: rolesUpTo(member.role) };
}

async function genuineRequest(userId: string, consentToken: string): Promise<AuthorizationRequest> {
  const request = await verifyConsentRequest(userId, consentToken);
  if (!request) {
    throw new AppError(
      'forbidden',
      'This approval form has expired or was not shown to you: start again from your agent',
    );
  }
  return request;
}

/** Approves: answers the URL to send the browser to (the client's redirect URI with the code). */
export async function approveConsent(userId: string, input: { consent: string; role: string }): Promise<string> {
  const request = await genuineRequest(userId, input.consent);
  const room = await consentRoom(userId, request.roomId);
  if (!room) throw new AppError('forbidden', 'You are no longer a member of this room');
  if (!isRole(input.role)) throw invalid('Choose DEVELOPER, ADMIN or OWNER', { field: 'role' });
  if (!roleAtLeast(room.myRole, input.role)) {
    throw invalid(`You can approve at most your own role in this room (${room.myRole})`, { field: 'role' });
  }
  const code = generateOAuthSecret('code');
  await db.oAuthAuthorizationCode.deleteMany({
    where: { expiresAt: { lt: new Date(Date.now() - CODE_RETENTION_MS) } },
  });
  await db.oAuthAuthorizationCode.create({
    data: {
      digest: digestOAuthSecret(code),
      clientId: request.clientId,
      clientName: request.clientName,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      resource: request.resource,
      userId,
      roomId: request.roomId,
      role: input.role,
      expiresAt: new Date(Date.now() + CODE_LIFETIME_MS),
    },
  });
  return redirectWith(request.redirectUri, { code, state: request.state });
}

/** Denies: nothing is written; the agent is told the user refused. */
export async function denyConsent(userId: string, input: { consent: string }): Promise<string> {
  const request = await genuineRequest(userId, input.consent);
  return errorRedirect(request.redirectUri, 'access_denied', 'The user refused to connect this agent', request.state);
}
