// Where a new git room's repository may be: a location the operator's policy admits (see
// lib/git/location-policy.ts), reachable and a git repository, and not already governed by
// another active room unless the creator is an OWNER of it. Every refusal — missing, outside the
// roots, a private address, unreachable, a scheme not allowed, someone else's repository — is the
// same error on the same field and takes at least the refusal floor, so that neither its text nor
// how quickly it comes tells a user what exists on the server or its network.
import { db } from '../db';
import { invalid, isAppError } from '../errors';
import {
  checkRemote,
  isLocationRefusal,
  locationKeyOf,
  locationRefused,
  LOCATION_REFUSED_MESSAGE,
  type LocationPolicy,
  type RemoteInfo,
} from '../git';
import { waitForRefusalFloor } from '../network/refusal-floor';
import { repositoryLocationPolicy } from '../repositories/location-policy';

// A person is waiting on the form: a remote that has not answered by then counts as unreachable.
const CHECK_TIMEOUT_MS = 20_000;

export interface RepositoryLocationInput {
  location: string;
  username?: string;
  password?: string;
}

export interface CheckedRepositoryLocation {
  remote: RemoteInfo;
  /** The repository's identity, stored on the room (Room.repositoryKey). */
  locationKey: string;
}

export async function checkRepositoryLocation(
  actorId: string,
  input: RepositoryLocationInput,
  options: { policy?: LocationPolicy; refusalFloorMs?: number } = {},
): Promise<CheckedRepositoryLocation> {
  const started = Date.now();
  try {
    const { locationKey, ...remote } = await checkRemote(
      { url: input.location, username: input.username || undefined, password: input.password || undefined },
      { policy: options.policy ?? repositoryLocationPolicy(), timeoutMs: CHECK_TIMEOUT_MS },
    );
    await assertNotGovernedByAnotherRoom(actorId, locationKey);
    return { remote, locationKey };
  } catch (error) {
    if (isLocationRefusal(error)) {
      await waitForRefusalFloor(started, options.refusalFloorMs);
      throw invalid(LOCATION_REFUSED_MESSAGE, { field: 'location' });
    }
    // lib/git names the URL `url`; the form calls it `location`.
    if (isAppError(error) && error.details?.field === 'url') throw invalid(error.message, { field: 'location' });
    throw error;
  }
}

/**
 * Refuses a repository that an active room already governs, unless the creator is an OWNER of
 * every such room (an OWNER may well want a second room on their own repository).
 */
async function assertNotGovernedByAnotherRoom(actorId: string, locationKey: string): Promise<void> {
  await recordMissingLocationKeys();
  const rooms = await db.room.findMany({
    where: { repositoryKind: 'git', archivedAt: null, repositoryKey: locationKey },
    select: { members: { where: { userId: actorId, role: 'OWNER' }, select: { userId: true } } },
  });
  if (rooms.some((room) => room.members.length === 0)) throw locationRefused();
}

/** Rooms created before repository identities were recorded get theirs now (once). */
async function recordMissingLocationKeys(): Promise<void> {
  const rooms = await db.room.findMany({
    where: { repositoryKind: 'git', repositoryKey: null },
    select: { id: true, repositoryLocation: true },
    take: 500,
  });
  for (const room of rooms) {
    const key = (await locationKeyOf(room.repositoryLocation)) ?? `unparsed:${room.repositoryLocation}`;
    await db.room.updateMany({ where: { id: room.id, repositoryKey: null }, data: { repositoryKey: key } });
  }
}
