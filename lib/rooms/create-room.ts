// Creating a room: the repository is checked first (a git location must be reachable and be a
// repository), then the room, its first OWNER and that OWNER's access token are written together.
import { db } from '../db';
import { invalid } from '../errors';
import { encryptSecret } from '../crypto/secret-box';
import { issueMemberToken } from '../tokens/issue-member-token';
import { checkRemote, resolveRemote } from '../git';
import { config } from '../config';
import path from 'node:path';
import { realpathSync } from 'node:fs';
import { validateBranchName } from '../git/validate-ref';
import { recordRoomEvent } from './room-events';
import { defaultPolicy } from '../policy';
import type { Prisma } from '../generated/prisma/client';
import { createRoomSchema, type CreateRoomInput } from './schemas';

export async function createRoom(actorId: string, input: CreateRoomInput) {
  const data = createRoomSchema.parse(input);
  const defaultBranch = fieldValidated('defaultBranch', () => validateBranchName(data.defaultBranch));

  if (data.repositoryKind === 'git') {
    assertNotInsideDataDir(data.location);
    const remote = await checkRemote({
      url: data.location,
      username: data.username || undefined,
      password: data.password || undefined,
    });
    if (remote.branches.length > 0 && !remote.branches.some((b) => b.name === defaultBranch)) {
      throw invalid(`The repository has no branch "${defaultBranch}"`, { field: 'defaultBranch' });
    }
  }

  const { room, token } = await db.$transaction(async (tx) => {
    const created = await tx.room.create({
      data: {
        name: data.name,
        repositoryKind: data.repositoryKind,
        repositoryLocation: data.location,
        githubApiUrl: data.repositoryKind === 'github' ? data.githubApiUrl : null,
        repositorySecret: secretFor(data),
        defaultBranch,
        protectedBranches: data.protectedBranches,
        createdById: actorId,
        members: { create: { userId: actorId, role: 'OWNER' } },
      },
      select: { id: true, name: true },
    });
    // The creator's own access token; every member gets their own when added.
    const token = await issueMemberToken(tx, { roomId: created.id, userId: actorId });
    await recordRoomEvent(tx, { roomId: created.id, actorId, kind: 'room.created' });
    // The defaults are written down as version 1, so later changes to them never alter a room silently.
    await tx.policyVersion.create({
      data: {
        roomId: created.id,
        version: 1,
        document: defaultPolicy() as unknown as Prisma.InputJsonValue,
        createdById: actorId,
      },
    });
    return { room: created, token };
  });
  return { room, token };
}

function secretFor(data: { username?: string; password?: string }): string | null {
  if (!data.password) return null;
  return encryptSecret(JSON.stringify({ username: data.username || undefined, password: data.password }));
}

function fieldValidated<T>(field: string, validate: () => T): T {
  try {
    return validate();
  } catch (error) {
    if (error instanceof Error) throw invalid(error.message, { field });
    throw error;
  }
}

/**
 * Aegis's own data directory (its database, secrets and other rooms' mirrors) is never a room's
 * repository: a room on it would let its members read what they must not.
 */
function assertNotInsideDataDir(location: string) {
  const { localPath } = resolveRemote({ url: location });
  if (!localPath) return;
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const dataDir = real(config().AEGIS_DATA_DIR);
  const target = real(localPath);
  if (target === dataDir || target.startsWith(dataDir + path.sep)) {
    throw invalid("Aegis's own data directory cannot be a room's repository", { field: 'location' });
  }
}
