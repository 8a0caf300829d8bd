// Changing a room's settings on a real PostgreSQL and real repositories: replacing the credentials
// of a password-protected remote (git's own http-backend behind Basic auth) is checked against the
// remote first and saves nothing when they do not work; a default branch must exist; nothing
// secret reaches the room's activity; a DEVELOPER cannot; and the room's repository handle, which
// carries the credentials, is dropped so the next call builds one with the new settings.
// (The browser story is tests/e2e/room-settings.spec.ts; the test server there only allows
// https remotes at public addresses, so the password-protected remote is exercised here.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';
import { db } from '../db';
import { AppError } from '../errors';
import { commitTo, createOrigin, disposeOriginTemplate, testLocationPolicy } from '../git/test-fixtures';
import { startGitHttpServer, type GitHttpServer } from '../git/test-http-server';
import { roomRepository } from '../repositories/room-repository';
import { createUser } from '../users/create-user';
import { createRoom } from './create-room';
import { addMember } from './members';
import { updateRoomSettings } from './update-room-settings';

const root = () => process.env.AEGIS_REPOSITORY_ROOTS!.split(':')[0]!;
const unchanged = { defaultBranch: 'main', protectedBranches: 'release/**', branchPattern: 'aegis/**' };

async function user(prefix: string) {
  const tag = randomBytes(5).toString('hex');
  return createUser({ name: `${prefix} ${tag}`, email: `${prefix}-${tag}@example.test`, password: `pw-${tag}-long` });
}

async function roomOnOrigin() {
  const owner = await user('owner');
  const dir = mkdtempSync(path.join(root(), 'settings-'));
  const { origin } = await createOrigin(dir);
  const { room } = await createRoom(owner.id, {
    name: 'settings',
    repositoryKind: 'git',
    location: origin,
    protectedBranches: 'release/**',
  });
  return { owner, origin, roomId: room.id };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const settingsEvents = (roomId: string) =>
  db.roomEvent.findMany({ where: { roomId, kind: 'room.settings_changed' }, select: { detail: true } });

afterAll(disposeOriginTemplate);

describe('updateRoomSettings on a password-protected remote', { timeout: 60_000 }, () => {
  let server: GitHttpServer;
  let room: Awaited<ReturnType<typeof roomOnOrigin>>;
  // What the operator would allow for such a remote: plain http on this machine.
  const policy = () => testLocationPolicy(root(), { remoteSchemes: ['http'], allowPrivateNetworks: true });
  const secretOf = async () =>
    JSON.parse(
      decryptSecret((await db.room.findUniqueOrThrow({ where: { id: room.roomId } })).repositorySecret!),
    ) as unknown;

  beforeAll(async () => {
    room = await roomOnOrigin();
    server = await startGitHttpServer(path.dirname(room.origin), 'bot', 'first-password');
    // The room governs the remote with its first password (set up directly: the configuration of
    // this test process admits only https remotes at public addresses).
    await db.room.update({
      where: { id: room.roomId },
      data: {
        repositoryLocation: server.url('origin.git'),
        repositorySecret: encryptSecret(JSON.stringify({ username: 'bot', password: 'first-password' })),
      },
    });
    // The hosting service rotates the password.
    server.setCredentials('bot', 'second-password');
  });
  afterAll(() => server?.close());

  it('refuses credentials the remote does not accept, and saves nothing', async () => {
    for (const password of ['typo-password', 'first-password']) {
      const error = await refusal(
        updateRoomSettings(
          room.owner.id,
          room.roomId,
          { ...unchanged, credentials: 'replace', username: 'bot', password },
          { policy: policy() },
        ),
      );
      expect(error.message).toMatch(/^Nothing was saved: the repository could not be reached with the new credentials/);
      expect(error.details).toEqual({ field: 'password' });
      expect(error.message).not.toContain(password);
    }
    // Removing them is checked too: this remote needs some.
    const removed = await refusal(
      updateRoomSettings(room.owner.id, room.roomId, { ...unchanged, credentials: 'remove' }, { policy: policy() }),
    );
    expect(removed.details).toEqual({ field: 'credentials' });
    expect(await secretOf()).toEqual({ username: 'bot', password: 'first-password' });
    expect(await settingsEvents(room.roomId)).toEqual([]);
  });

  it('saves credentials the remote accepts, recording only that they were replaced', async () => {
    const result = await updateRoomSettings(
      room.owner.id,
      room.roomId,
      { ...unchanged, credentials: 'replace', username: 'bot', password: 'second-password' },
      { policy: policy() },
    );
    expect(result.changes).toEqual(['repository credentials replaced']);
    expect(await secretOf()).toEqual({ username: 'bot', password: 'second-password' });
    const stored = await db.room.findUniqueOrThrow({ where: { id: room.roomId } });
    expect(stored.repositorySecret).not.toContain('second-password');
    expect(await settingsEvents(room.roomId)).toEqual([{ detail: 'repository credentials replaced' }]);
  });

  it('checks a new default branch exists, with the stored credentials', async () => {
    const missing = await refusal(
      updateRoomSettings(room.owner.id, room.roomId, { ...unchanged, defaultBranch: 'trunk' }, { policy: policy() }),
    );
    expect(missing).toMatchObject({
      message: 'The repository has no branch "trunk"',
      details: { field: 'defaultBranch' },
    });

    const main = (await db.room.findUniqueOrThrow({ where: { id: room.roomId } })).defaultBranch;
    expect(main).toBe('main');
    await commitTo(room.origin, null, { 'TRUNK.md': '# trunk\n' }, { branch: 'trunk' });
    const result = await updateRoomSettings(
      room.owner.id,
      room.roomId,
      { ...unchanged, defaultBranch: 'trunk' },
      { policy: policy() },
    );
    expect(result.changes).toEqual(['default branch main → trunk']);
  });
});

describe('updateRoomSettings', { timeout: 30_000 }, () => {
  it('is for ADMINs and OWNERs only', async () => {
    const { owner, roomId } = await roomOnOrigin();
    const developer = await user('developer');
    const admin = await user('admin');
    await addMember(owner.id, roomId, { email: developer.email, role: 'DEVELOPER' });
    await addMember(owner.id, roomId, { email: admin.email, role: 'ADMIN' });
    const denied = await refusal(updateRoomSettings(developer.id, roomId, { ...unchanged, branchPattern: 'x/**' }));
    expect(denied.code).toBe('forbidden');
    const stranger = await user('stranger');
    expect((await refusal(updateRoomSettings(stranger.id, roomId, unchanged))).code).toBe('not_found');
    expect(await updateRoomSettings(admin.id, roomId, { ...unchanged, branchPattern: 'bot/**' })).toEqual({
      changes: ['agent branch pattern aegis/** → bot/**'],
    });
    expect(await updateRoomSettings(admin.id, roomId, { ...unchanged, branchPattern: 'bot/**' })).toEqual({
      changes: [],
    });
  });

  it("drops the room's repository handle, so the next call builds one with the new settings", async () => {
    const { owner, roomId } = await roomOnOrigin();
    const before = await roomRepository(roomId);
    expect(await roomRepository(roomId)).toBe(before);
    await updateRoomSettings(owner.id, roomId, { ...unchanged, credentials: 'replace', password: 'a-token' });
    await expect.poll(async () => (await roomRepository(roomId)) !== before).toBe(true);
  });
});
