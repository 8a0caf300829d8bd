// The repository a room governs, behind the one RoomRepository interface: for a git room a
// GitRepository over Aegis's own mirror under the data directory. One instance per room and process (writers to one mirror directory share its
// per-branch locks whichever instance they use, see lib/git/mirror.ts). The instance carries the
// repository credentials, so it is dropped when the room's settings change (on any instance, over
// the event bus) and the next call builds one with the new credentials. Mirrors serve reads from
// memory and fetch in the background, so every push is announced on the bus before it is
// acknowledged, and the other instances' mirrors fetch before their next read.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { config } from '../config';
import { decryptSecret } from '../crypto/secret-box';
import { db } from '../db';
import { AppError } from '../errors';
import { publish, subscribe, type AegisEvent } from '../events/event-bus';
import { GitRepository, markAllMirrorsStale, markMirrorStale } from '../git';
import { createGitHubClient } from '../github/client';
import { openGitHubCredentials } from '../github/credentials';
import { GitHubRoomRepository } from '../github/github-repository';
import { GitRoomRepository } from './git-room-repository';
import { repositoryLocationPolicy } from './location-policy';
import type { RoomRepository } from './repository';

type RepositoryCache = {
  repositories: Map<string, RoomRepository>;
  // Bumped whenever a handle is dropped, so that a handle built from a read that started before
  // the change is not cached after it.
  generations: Map<string, number>;
  resets: number;
  subscribed?: Promise<unknown>;
  // Names this process in room.repository_changed, so that it ignores its own news.
  instance: string;
};
// On globalThis: Next.js bundles this module more than once, and every copy must share one cache
// (and the one subscription that keeps it honest).
const state = globalThis as unknown as { aegisRepositoryCache?: RepositoryCache };
const cache: RepositoryCache = (state.aegisRepositoryCache ??= {
  repositories: new Map(),
  generations: new Map(),
  resets: 0,
  instance: randomUUID(),
});

const mirrorDirOf = (roomId: string) => path.resolve(config().AEGIS_DATA_DIR, 'mirrors', roomId);

function onEvent(event: AegisEvent) {
  if (event.type === 'room.settings_changed' || event.type === 'room.archived') {
    cache.repositories.delete(event.roomId);
    cache.generations.set(event.roomId, (cache.generations.get(event.roomId) ?? 0) + 1);
  } else if (event.type === 'room.repository_changed') {
    // Mirrors hold branch heads in memory and fetch in the background: a push made by another
    // instance is read only after a fetch.
    if (event.instance !== cache.instance) markMirrorStale(mirrorDirOf(event.roomId));
  } else if (event.type === 'bus.reset') {
    cache.repositories.clear();
    cache.resets++;
    markAllMirrorsStale();
  }
}

export const AEGIS_COMMITTER = { name: 'Aegis', email: 'aegis@localhost' };

/** A git room's mirror-backed repository (its change requests merge on it); refuses other kinds. */
export async function roomGitRepository(roomId: string): Promise<GitRepository> {
  const repository = await roomRepository(roomId);
  if (repository.kind !== 'git') throw new AppError('invalid_input', 'This room does not govern a git repository');
  return (repository as GitRoomRepository).git;
}

export async function roomRepository(roomId: string): Promise<RoomRepository> {
  // A failed subscription is retried by the next call rather than remembered.
  await (cache.subscribed ??= subscribe(onEvent).catch((error) => {
    cache.subscribed = undefined;
    throw error;
  }));
  const cached = cache.repositories.get(roomId);
  if (cached) return cached;
  const generation = cache.generations.get(roomId) ?? 0;
  const resets = cache.resets;
  const room = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { repositoryKind: true, repositoryLocation: true, repositorySecret: true, githubApiUrl: true },
  });
  const onBranchMoved = () =>
    publish({ type: 'room.repository_changed', roomId, instance: cache.instance }).catch((error: unknown) => {
      // The push has landed; other instances still fetch within maxStalenessMs.
      console.error('[aegis] could not announce a repository change', error);
    });
  let repository: RoomRepository;
  if (room.repositoryKind === 'github') {
    if (!room.repositorySecret) throw new AppError('unavailable', 'This GitHub room has no credentials; a room ADMIN must add them');
    const c = config();
    const client = await createGitHubClient({
      apiUrl: room.githubApiUrl ?? 'https://api.github.com',
      credentials: openGitHubCredentials(room.repositorySecret),
      network: { allowPrivateNetworks: c.AEGIS_ALLOW_PRIVATE_NETWORKS },
      maxRateLimitWaitSeconds: c.AEGIS_GITHUB_MAX_RATE_LIMIT_WAIT_SECONDS,
      writeIntervalMs: c.AEGIS_GITHUB_WRITE_INTERVAL_MS,
      pacingKey: roomId,
    });
    repository = new GitHubRoomRepository({ client, fullName: room.repositoryLocation, committer: AEGIS_COMMITTER, onBranchMoved });
  } else {
    repository = gitRoomRepository(roomId, room, onBranchMoved);
  }
  if ((cache.generations.get(roomId) ?? 0) === generation && cache.resets === resets) {
    cache.repositories.set(roomId, repository);
  }
  return repository;
}

function gitRoomRepository(
  roomId: string,
  room: { repositoryLocation: string; repositorySecret: string | null },
  onBranchMoved: () => Promise<void>,
): RoomRepository {
  const credentials = room.repositorySecret
    ? (JSON.parse(decryptSecret(room.repositorySecret)) as { username?: string; password?: string })
    : {};
  const git = new GitRepository({
    mirrorDir: mirrorDirOf(roomId),
    remote: { url: room.repositoryLocation, ...credentials },
    locationPolicy: repositoryLocationPolicy(),
    committer: AEGIS_COMMITTER,
    onBranchMoved,
  });
  return new GitRoomRepository(roomId, git);
}
