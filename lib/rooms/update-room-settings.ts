// Changing a room's settings after it was created: its default branch, protected branches, the
// pattern agents' branches must match, and the repository credentials. ADMIN/OWNER only.
//
// For a git room, a new default branch must exist in the repository, and new (or removed)
// credentials must still reach it: that is checked with git before anything is written (never
// inside the transaction). The change is recorded in the room's activity — the credentials only as
// "replaced" or "removed", never their value — and announced as `room.settings_changed`, which
// drops every instance's cached room facts (lib/gateway/room-facts.ts) and repository handle
// (lib/repositories/room-repository.ts), so the next call is decided and executed with the new
// settings.
import { db } from '../db';
import { encryptSecret, decryptSecret } from '../crypto/secret-box';
import { checkGitHubRepository } from '../github/check-github-repository';
import { sealGitHubCredentials } from '../github/credentials';
import { invalid, isAppError } from '../errors';
import { publish } from '../events/event-bus';
import { checkRemote, type LocationPolicy } from '../git';
import { repositoryLocationPolicy } from '../repositories/location-policy';
import { getRoomForUser } from './get-room';
import { assertCan } from './permissions';
import { recordRoomEvent } from './room-events';
import { roomSettingsSchema, type RoomSettings, type RoomSettingsInput } from './schemas';

type Credentials = { username?: string; password?: string };

// A person is waiting on the form: a remote that has not answered by then counts as unreachable.
const CHECK_TIMEOUT_MS = 20_000;

/** The settings form's current values: everything but the credentials, which are never shown. */
export async function getRoomSettings(actorId: string, roomId: string) {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'room.settings');
  const { repositorySecret } = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { repositorySecret: true },
  });
  return {
    id: room.id,
    name: room.name,
    repositoryKind: room.repositoryKind,
    repositoryLocation: room.repositoryLocation,
    defaultBranch: room.defaultBranch,
    protectedBranches: room.protectedBranches,
    branchPattern: room.branchPattern,
    hasCredentials: repositorySecret !== null,
  };
}

export type RoomSettingsUpdate = { changes: string[] };

export async function updateRoomSettings(
  actorId: string,
  roomId: string,
  input: RoomSettingsInput,
  /** `policy`: where repositories may be (the operator's, from the configuration, by default). */
  options: { policy?: LocationPolicy } = {},
): Promise<RoomSettingsUpdate> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'room.settings');
  const settings = roomSettingsSchema.parse(input);
  const current = await db.room.findUniqueOrThrow({
    where: { id: roomId },
    select: { repositorySecret: true },
  });

  if (settings.credentials === 'remove' && room.repositoryKind === 'github') {
    throw invalid('A GitHub room needs a token: replace it instead', { field: 'credentials' });
  }
  const newCredentials: Credentials | null | undefined =
    settings.credentials === 'replace'
      ? { username: settings.username || undefined, password: settings.password }
      : settings.credentials === 'remove'
        ? null
        : undefined;

  const changes = describeChanges(room, settings);
  if (changes.length === 0) return { changes };

  const defaultBranchChanged = settings.defaultBranch !== room.defaultBranch;
  if (room.repositoryKind === 'git' && (defaultBranchChanged || newCredentials !== undefined)) {
    const credentials =
      newCredentials === undefined ? storedCredentials(current.repositorySecret) : (newCredentials ?? {});
    await checkRepository(
      room.repositoryLocation,
      credentials,
      settings,
      newCredentials !== undefined,
      options.policy ?? repositoryLocationPolicy(),
    );
  }

  // A GitHub room's new token is checked against the repository, and sealed as GitHub credentials.
  let sealed: string | null | undefined =
    newCredentials === undefined ? undefined : newCredentials ? encryptSecret(JSON.stringify(newCredentials)) : null;
  if (room.repositoryKind === 'github' && newCredentials) {
    const credentials = { kind: 'token' as const, token: newCredentials.password! };
    await checkGitHubRepository({
      apiUrl: room.githubApiUrl ?? 'https://api.github.com',
      fullName: room.repositoryLocation,
      credentials,
      defaultBranch: settings.defaultBranch,
    });
    sealed = sealGitHubCredentials(credentials);
  }

  await db.$transaction(async (tx) => {
    await tx.room.update({
      where: { id: roomId },
      data: {
        defaultBranch: settings.defaultBranch,
        protectedBranches: settings.protectedBranches,
        branchPattern: settings.branchPattern,
        ...(sealed === undefined ? {} : { repositorySecret: sealed }),
      },
    });
    await recordRoomEvent(tx, { roomId, actorId, kind: 'room.settings_changed', detail: changes.join('; ') });
    await publish({ type: 'room.settings_changed', roomId }, tx);
  });
  return { changes };
}

function describeChanges(
  room: { defaultBranch: string; protectedBranches: string[]; branchPattern: string },
  settings: RoomSettings,
): string[] {
  const changes: string[] = [];
  if (settings.defaultBranch !== room.defaultBranch) {
    changes.push(`default branch ${room.defaultBranch} → ${settings.defaultBranch}`);
  }
  if (settings.protectedBranches.join('\n') !== room.protectedBranches.join('\n')) {
    const list = settings.protectedBranches.join(', ') || 'none';
    changes.push(`protected branches: ${list.length > 300 ? `${list.slice(0, 300)}…` : list}`);
  }
  if (settings.branchPattern !== room.branchPattern) {
    changes.push(`agent branch pattern ${room.branchPattern} → ${settings.branchPattern}`);
  }
  if (settings.credentials === 'replace') changes.push('repository credentials replaced');
  if (settings.credentials === 'remove') changes.push('repository credentials removed');
  return changes;
}

function storedCredentials(secret: string | null): Credentials {
  return secret ? (JSON.parse(decryptSecret(secret)) as Credentials) : {};
}

/** The repository is reachable with `credentials` and has the default branch (unless it is empty). */
async function checkRepository(
  location: string,
  credentials: Credentials,
  settings: RoomSettings,
  credentialsChanged: boolean,
  policy: LocationPolicy,
) {
  let remote;
  try {
    // The operator's location policy applies as when the room was created (it may have changed).
    remote = await checkRemote({ url: location, ...credentials }, { policy, timeoutMs: CHECK_TIMEOUT_MS });
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (!credentialsChanged) throw invalid(`Nothing was saved: ${error.message}`);
    throw invalid(`Nothing was saved: the repository could not be reached with the new credentials. ${error.message}`, {
      field: settings.credentials === 'replace' ? 'password' : 'credentials',
    });
  }
  if (remote.branches.length > 0 && !remote.branches.some((b) => b.name === settings.defaultBranch)) {
    throw invalid(`The repository has no branch "${settings.defaultBranch}"`, { field: 'defaultBranch' });
  }
}
