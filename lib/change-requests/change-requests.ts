// Change requests: the pull requests of a git room, kept by Aegis, reviewed and merged in the
// dashboard or through merge_pull_request. Numbers count up per room, like GitHub's.
import { db } from '../db';
import { conflict, invalid, notFound } from '../errors';
import { Prisma } from '../generated/prisma/client';
import type { GitRepository, MergeMethod, Person } from '../git';
import { validateBranchName } from '../git/validate-ref';

export type ChangeRequestState = 'open' | 'merging' | 'merged' | 'closed';

const changeRequestSelect = {
  id: true,
  roomId: true,
  number: true,
  title: true,
  body: true,
  head: true,
  base: true,
  state: true,
  authorId: true,
  createdAt: true,
  mergedAt: true,
  mergedById: true,
  mergeCommitSha: true,
  baseShaBeforeMerge: true,
} as const;

export type ChangeRequest = Prisma.ChangeRequestGetPayload<{ select: typeof changeRequestSelect }>;

export async function createChangeRequest(
  input: {
    roomId: string;
    authorId: string;
    title: string;
    body?: string;
    head: string;
    base: string;
  },
  /** The room's mirror-backed repository (roomGitRepository). */
  repository: GitRepository,
): Promise<ChangeRequest> {
  const head = validateBranchName(input.head);
  const base = validateBranchName(input.base);
  if (head === base) throw invalid('head and base must be different branches');
  await repository.sync();
  if (!(await repository.headOf(head))) throw invalid(`Branch "${head}" does not exist`);
  if (!(await repository.headOf(base))) throw invalid(`Branch "${base}" does not exist`);
  const open = await db.changeRequest.findFirst({
    where: { roomId: input.roomId, head, base, state: 'open' },
    select: { number: true },
  });
  if (open) throw conflict(`A pull request from ${head} into ${base} is already open (#${open.number})`);

  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const last = await tx.changeRequest.aggregate({ where: { roomId: input.roomId }, _max: { number: true } });
        return tx.changeRequest.create({
          data: {
            roomId: input.roomId,
            number: (last._max.number ?? 0) + 1,
            title: input.title,
            body: input.body ?? '',
            head,
            base,
            authorId: input.authorId,
          },
          select: changeRequestSelect,
        });
      });
    } catch (error) {
      // Two requests took the same number: take the next one.
      const duplicate = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
      if (!duplicate || attempt >= 5) throw error;
    }
  }
}

export async function listChangeRequests(
  roomId: string,
  filter: { state?: ChangeRequestState | 'all'; head?: string; base?: string } = {},
) {
  return db.changeRequest.findMany({
    where: {
      roomId,
      ...(filter.state && filter.state !== 'all' ? { state: filter.state } : {}),
      ...(filter.head ? { head: filter.head } : {}),
      ...(filter.base ? { base: filter.base } : {}),
    },
    orderBy: { number: 'desc' },
    take: 100,
    select: changeRequestSelect,
  });
}

export async function getChangeRequest(roomId: string, number: number): Promise<ChangeRequest> {
  const changeRequest = await db.changeRequest.findUnique({
    where: { roomId_number: { roomId, number } },
    select: changeRequestSelect,
  });
  if (!changeRequest) throw notFound(`Pull request #${number} not found`);
  return changeRequest;
}

export async function changeRequestDiff(changeRequest: ChangeRequest, repository: GitRepository) {
  if (changeRequest.state === 'merged' && changeRequest.mergeCommitSha && changeRequest.baseShaBeforeMerge) {
    // What the merge brought into the base, whatever the method (merge commit, squash, fast-forward).
    return repository.diff(changeRequest.baseShaBeforeMerge, changeRequest.mergeCommitSha, { mergeBase: false });
  }
  return repository.diff(changeRequest.base, changeRequest.head, { mergeBase: true });
}

/**
 * Merges an open change request into its base (refusing on conflict) and marks it merged. With
 * `expectedHeadSha`, exactly that commit of the head branch is merged: if the branch points
 * anywhere else when git runs, the merge is refused and nothing moves.
 */
export async function mergeChangeRequest(
  input: {
    roomId: string;
    number: number;
    actorId: string;
    author: Person;
    method?: MergeMethod;
    message?: string;
    expectedHeadSha?: string;
  },
  repository: GitRepository,
) {
  const changeRequest = await getChangeRequest(input.roomId, input.number);
  if (changeRequest.state !== 'open') throw conflict(`Pull request #${input.number} is ${changeRequest.state}`);
  // Claimed first, so two merges of one request (from any instance) cannot both run.
  const claimed = await db.changeRequest.updateMany({
    where: { id: changeRequest.id, state: 'open' },
    data: { state: 'merging' },
  });
  if (claimed.count === 0) throw conflict(`Pull request #${input.number} is being merged or was closed meanwhile`);
  let result;
  try {
    result = await repository.merge({
      base: changeRequest.base,
      head: changeRequest.head,
      method: input.method ?? 'merge',
      message: input.message ?? `Merge pull request #${changeRequest.number}: ${changeRequest.title}`,
      author: input.author,
      expectedHeadSha: input.expectedHeadSha,
    });
  } catch (error) {
    await db.changeRequest.update({ where: { id: changeRequest.id }, data: { state: 'open' } });
    throw error;
  }
  await db.changeRequest.update({
    where: { id: changeRequest.id },
    data: {
      state: 'merged',
      mergedAt: new Date(),
      mergedById: input.actorId,
      mergeCommitSha: result.sha,
      baseShaBeforeMerge: result.previousSha,
    },
  });
  return {
    ...result,
    changeRequest: { ...changeRequest, state: 'merged' as const, mergedAt: new Date(), mergeCommitSha: result.sha },
  };
}

/**
 * Changes an agent may make to a change request (update_pull_request): its title, description,
 * base branch, or state (closing an open one, reopening a closed one). A merged request stays as it
 * is; the state changes only where it still is what was read, so a merge claimed meanwhile wins.
 */
export async function updateChangeRequest(
  input: {
    roomId: string;
    number: number;
    title?: string;
    body?: string;
    base?: string;
    state?: 'open' | 'closed';
  },
  repository: GitRepository,
): Promise<ChangeRequest> {
  const changeRequest = await getChangeRequest(input.roomId, input.number);
  if (changeRequest.state === 'merged' || changeRequest.state === 'merging') {
    throw conflict(`Pull request #${input.number} is ${changeRequest.state}; it cannot be changed`);
  }
  let base: string | undefined;
  if (input.base !== undefined) {
    base = validateBranchName(input.base);
    if (base === changeRequest.head) throw invalid('head and base must be different branches', { field: 'base' });
    await repository.sync();
    if (!(await repository.headOf(base))) throw invalid(`Branch "${base}" does not exist`, { field: 'base' });
  }
  const updated = await db.changeRequest.updateMany({
    where: { id: changeRequest.id, state: changeRequest.state },
    data: {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(base !== undefined ? { base } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
    },
  });
  if (updated.count === 0) throw conflict(`Pull request #${input.number} changed meanwhile; read it again`);
  return getChangeRequest(input.roomId, input.number);
}
