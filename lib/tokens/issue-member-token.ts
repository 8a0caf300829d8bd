// Issuing a member's access token for a room: a new random token replaces the member's previous one
// (which stops working at once), stored as its digest and its ciphertext. Runs inside the caller's
// transaction, so a token exists exactly when the change that issued it is committed.
import { encryptSecret } from '../crypto/secret-box';
import type { Prisma } from '../generated/prisma/client';
import { digestToken, generateRoomToken } from './room-token';

export async function issueMemberToken(
  tx: Prisma.TransactionClient,
  member: { roomId: string; userId: string },
): Promise<string> {
  const token = generateRoomToken();
  await tx.member.update({
    where: { roomId_userId: member },
    data: { tokenDigest: digestToken(token), tokenCiphertext: encryptSecret(token), tokenIssuedAt: new Date() },
  });
  return token;
}
