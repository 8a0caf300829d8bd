// The repository a room governs, as a GitRepository over Aegis's own mirror under the data
// directory. One instance per room and process, so its per-branch write locks serialise every
// writer of this instance.
import path from 'node:path';
import { config } from '../config';
import { decryptSecret } from '../crypto/secret-box';
import { db } from '../db';
import { AppError } from '../errors';
import { GitRepository } from '../git';
import { repositoryLocationPolicy } from './location-policy';

const state = globalThis as unknown as { aegisRepositories?: Map<string, GitRepository> };
const repositories = (state.aegisRepositories ??= new Map());

export const AEGIS_COMMITTER = { name: 'Aegis', email: 'aegis@localhost' };

export async function roomRepository(roomId: string): Promise<GitRepository> {
  const cached = repositories.get(roomId);
  if (cached) return cached;
  const room = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { repositoryKind: true, repositoryLocation: true, repositorySecret: true },
  });
  if (room.repositoryKind !== 'git') {
    throw new AppError(
      'invalid_input',
      'This room governs a GitHub repository; GitHub rooms cannot run repository tools yet',
    );
  }
  const credentials = room.repositorySecret
    ? (JSON.parse(decryptSecret(room.repositorySecret)) as { username?: string; password?: string })
    : {};
  const repository = new GitRepository({
    mirrorDir: path.resolve(config().AEGIS_DATA_DIR, 'mirrors', roomId),
    remote: { url: room.repositoryLocation, ...credentials },
    locationPolicy: repositoryLocationPolicy(),
    committer: AEGIS_COMMITTER,
  });
  repositories.set(roomId, repository);
  return repository;
}
