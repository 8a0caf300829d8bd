// Creating a room: the repository is checked first (a git location must be one the operator
// allows, reachable, a repository, and not another room's), then the room, its first OWNER and
// that OWNER's access token are written together.
import { db } from '../db';
import { invalid } from '../errors';
import { encryptSecret } from '../crypto/secret-box';
import { issueMemberToken } from '../tokens/issue-member-token';
import { validateBranchName } from '../git/validate-ref';
import { checkGitHubRepository } from '../github/check-github-repository';
import { sealGitHubCredentials, type GitHubCredentials } from '../github/credentials';
import { checkRepositoryLocation } from './repository-location';
import { recordRoomEvent } from './room-events';
import { defaultPolicy } from '../policy';
import type { Prisma } from '../generated/prisma/client';
import { createRoomSchema, type CreateRoomInput } from './schemas';

export async function createRoom(actorId: string, input: CreateRoomInput) {
  const data = createRoomSchema.parse(input);
  const defaultBranch = fieldValidated('defaultBranch', () => validateBranchName(data.defaultBranch));

  let repositoryKey: string | null = null;
  if (data.repositoryKind === 'git') {
    const { remote, locationKey } = await checkRepositoryLocation(actorId, data);
    repositoryKey = locationKey;
    if (remote.branches.length > 0 && !remote.branches.some((b) => b.name === defaultBranch)) {
      throw invalid(`The repository has no branch "${defaultBranch}"`, { field: 'defaultBranch' });
    }
  }
  let githubCredentials: GitHubCredentials | null = null;
  if (data.repositoryKind === 'github') {
    githubCredentials =
      data.githubAuth === 'app'
        ? { kind: 'app', appId: data.appId!, installationId: data.installationId!, privateKey: data.privateKey! }
        : { kind: 'token', token: data.password! };
    await checkGitHubRepository({
      apiUrl: data.githubApiUrl,
      fullName: data.location,
      credentials: githubCredentials,
      defaultBranch,
    });
  }

  const { room, token } = await db.$transaction(async (tx) => {
    const created = await tx.room.create({
      data: {
        name: data.name,
        repositoryKind: data.repositoryKind,
        repositoryLocation: data.location,
        repositoryKey,
        githubApiUrl: data.repositoryKind === 'github' ? data.githubApiUrl : null,
        repositorySecret: githubCredentials ? sealGitHubCredentials(githubCredentials) : secretFor(data),
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
