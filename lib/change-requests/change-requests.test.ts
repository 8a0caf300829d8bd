// Merging a change request pinned to a head commit, against a real origin: whatever the branch
// points at when git runs, exactly the pinned commit is merged, or nothing is.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { createAuditTestRoom, createAuditTestUser } from '../audit/test-fixtures';
import { db } from '../db';
import { AppError } from '../errors';
import { commitTo, createOrigin, disposeOriginTemplate, head, tempDir } from '../git/test-fixtures';
import { roomGitRepository } from '../repositories/room-repository';
import { createChangeRequest, getChangeRequest, mergeChangeRequest } from './change-requests';

const ann = { name: 'Ann Reviewer', email: 'ann@example.test' };

afterAll(disposeOriginTemplate);

/** A room on a fresh origin whose branch aegis/docs (one commit, `reviewed`) has a change request open. */
async function setup(onTestFinished: (fn: () => void) => void) {
  // Under the repository roots the test environment allows, like any room's repository.
  const { dir, cleanup } = tempDir(`${process.env.AEGIS_REPOSITORY_ROOTS!.split(':')[0]}/change-request-`);
  onTestFinished(cleanup);
  const { origin, initial } = await createOrigin(dir);
  const reviewed = await commitTo(origin, initial, { 'docs/ok.md': '# ok\n' }, { branch: 'aegis/docs' });
  const owner = await createAuditTestUser('owner');
  const room = await createAuditTestRoom(owner, `room-${randomBytes(4).toString('hex')}`);
  await db.room.update({ where: { id: room.id }, data: { repositoryLocation: origin } });
  const changeRequest = await createChangeRequest(
    {
      roomId: room.id,
      authorId: owner.id,
      title: 'Docs',
      head: 'aegis/docs',
      base: 'main',
    },
    await roomGitRepository(room.id),
  );
  const merge = async (expectedHeadSha: string) =>
    mergeChangeRequest(
      {
        roomId: room.id,
        number: changeRequest.number,
        actorId: owner.id,
        author: ann,
        expectedHeadSha,
      },
      await roomGitRepository(room.id),
    );
  return { origin, initial, reviewed, room, changeRequest, merge };
}

describe.concurrent('mergeChangeRequest pinned to a head commit', { timeout: 60_000 }, () => {
  it('merges exactly the pinned commit', async ({ expect, onTestFinished }) => {
    const { origin, reviewed, merge } = await setup(onTestFinished);
    const result = await merge(reviewed);
    expect(result).toMatchObject({ sha: reviewed, method: 'fast-forward' });
    expect(await head(origin, 'main')).toBe(reviewed);
  });

  it('refuses once the branch moved after the check, and leaves the base and the request as they were', async ({
    expect,
    onTestFinished,
  }) => {
    const { origin, initial, reviewed, room, changeRequest, merge } = await setup(onTestFinished);
    // Someone pushes to the branch between the reviewer's check and the merge.
    await commitTo(origin, reviewed, { 'src/evil.ts': 'export {};\n' }, { branch: 'aegis/docs' });
    const error = await merge(reviewed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('conflict');
    expect((error as AppError).message).toContain('moved');
    expect(await head(origin, 'main')).toBe(initial);
    expect((await getChangeRequest(room.id, changeRequest.number)).state).toBe('open');
  });
});
