// A new room's repository on a real PostgreSQL and real repositories under the test root
// (AEGIS_REPOSITORY_ROOTS from tests/vitest-global-setup.ts): another active room's repository is
// refused unless the creator is an OWNER of it, however the path is spelled; an archived room
// frees it; rooms created before identities were recorded are recognised too; every refusal is
// the same error and takes at least the floor.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { db } from '../db';
import { AppError } from '../errors';
import { LOCATION_REFUSED_MESSAGE } from '../git';
import { createOrigin, disposeOriginTemplate } from '../git/test-fixtures';
import { createUser } from '../users/create-user';
import { archiveRoom } from './archive-room';
import { createRoom } from './create-room';
import { checkRepositoryLocation } from './repository-location';

afterAll(disposeOriginTemplate);

const root = () => process.env.AEGIS_REPOSITORY_ROOTS!.split(':')[0]!;

async function user(prefix: string) {
  const tag = randomBytes(5).toString('hex');
  return createUser({ name: `${prefix} ${tag}`, email: `${prefix}-${tag}@example.test`, password: `pw-${tag}-long` });
}

async function originUnderRoot() {
  const dir = mkdtempSync(path.join(root(), 'location-'));
  return { dir, ...(await createOrigin(dir)) };
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

const fast = { refusalFloorMs: 0 };

describe('checkRepositoryLocation', { timeout: 30_000 }, () => {
  it("refuses another user's repository, however spelled, and lets its OWNER open a second room", async () => {
    const owner = await user('owner');
    const stranger = await user('stranger');
    const { dir, origin } = await originUnderRoot();
    const { room } = await createRoom(owner.id, { name: 'r', repositoryKind: 'git', location: origin });
    const alias = path.join(dir, 'alias.git');
    symlinkSync(origin, alias);

    for (const location of [origin, `file://${origin}`, `${dir}/../${path.basename(dir)}/origin.git`, alias]) {
      const error = await refusal(checkRepositoryLocation(stranger.id, { location }, fast));
      expect(error.message, location).toBe(LOCATION_REFUSED_MESSAGE);
      expect(error.details, location).toEqual({ field: 'location' });
    }
    // A DEVELOPER of the room is not its OWNER either.
    await db.member.create({ data: { roomId: room.id, userId: stranger.id, role: 'DEVELOPER' } });
    expect((await refusal(checkRepositoryLocation(stranger.id, { location: origin }, fast))).message).toBe(
      LOCATION_REFUSED_MESSAGE,
    );

    const second = await checkRepositoryLocation(owner.id, { location: alias }, fast);
    expect(second.locationKey).toBe(`local:${origin}`);
    expect(second.remote.defaultBranch).toBe('main');
  });

  it('frees the repository of an archived room', async () => {
    const owner = await user('owner');
    const next = await user('next');
    const { origin } = await originUnderRoot();
    const { room } = await createRoom(owner.id, { name: 'r', repositoryKind: 'git', location: origin });
    await refusal(checkRepositoryLocation(next.id, { location: origin }, fast));
    await archiveRoom(owner.id, room.id);
    expect((await checkRepositoryLocation(next.id, { location: origin }, fast)).locationKey).toBe(`local:${origin}`);
  });

  it('recognises rooms created before repository identities were recorded', async () => {
    const owner = await user('owner');
    const stranger = await user('stranger');
    const { origin } = await originUnderRoot();
    const { room } = await createRoom(owner.id, { name: 'r', repositoryKind: 'git', location: origin });
    await db.room.update({ where: { id: room.id }, data: { repositoryKey: null } });
    await refusal(checkRepositoryLocation(stranger.id, { location: `file://${origin}` }, fast));
    expect((await db.room.findUniqueOrThrow({ where: { id: room.id } })).repositoryKey).toBe(`local:${origin}`);
  });

  it('answers every refusal with the same error, no sooner than the floor', async () => {
    const someone = await user('someone');
    const started = Date.now();
    const errors = await Promise.all(
      [path.join(root(), 'missing.git'), '/etc', 'file:///etc', 'http://169.254.169.254/x', 'git@github.com:o/r'].map(
        (location) => refusal(checkRepositoryLocation(someone.id, { location }, { refusalFloorMs: 300 })),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(new Set(errors.map((e) => `${e.code} ${e.message} ${JSON.stringify(e.details)}`)).size).toBe(1);
  });
});
