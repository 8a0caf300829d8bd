// Moving a branch on the remote safely: under the branch's in-process lock, compute the new commit
// from the mirror's head, push it as a fast-forward that the remote accepts only while the branch
// is still at that head, and when the push loses a race with another writer, fetch and compute
// again — or refuse when the caller pinned the head.

import { conflict, invalid } from '../errors';
import type { Mirror } from './mirror';
import { isValidBranchName } from './validate-ref';

const short = (sha: string | null) => (sha ? sha.slice(0, 12) : 'nothing');

/** Checks the form of a pinned commit id before any git process runs. */
export function validateCommitId(sha: string | undefined, field: string): string | undefined {
  if (sha === undefined) return undefined;
  if (typeof sha !== 'string' || !/^([0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha)) {
    throw invalid(`${field} must be a full commit id (40 hexadecimal characters).`, { field });
  }
  return sha.toLowerCase();
}

/** Checks that a ref is a branch name or a commit id before any git process runs. */
export function validateRefSyntax(ref: string | undefined, field: string): string | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref !== 'string' || !(isValidBranchName(ref) || /^[0-9a-f]{4,64}$/i.test(ref))) {
    throw invalid(`${field} must be a branch name or a commit id.`, { field });
  }
  return ref;
}

export function branchMoved(branch: string, expected: string | null, actual: string | null) {
  if (expected === null) return conflict(`Branch "${branch}" already exists (at ${short(actual)}).`);
  return conflict(
    actual
      ? `Branch "${branch}" moved: it was expected at ${short(expected)} but is now at ${short(actual)}. Read it again and retry.`
      : `Branch "${branch}" no longer exists (it was expected at ${short(expected)}).`,
  );
}

export async function updateBranch<T>(
  mirror: Mirror,
  options: {
    branch: string;
    /**
     * Refuse unless the branch is exactly here (`null`: absent); never re-applied on a moved
     * branch.
     */
    expectedHead?: string | null;
    /** The new head, computed from the current one (null: branch absent). */
    make: (head: string | null) => Promise<{ sha: string; result: T }>;
    /**
     * With `expectedHead`, for a `make` that always gives the same commit for the same head: when
     * the branch already contains that commit, it landed earlier: return `landed(result)`.
     */
    acceptLanded?: boolean;
    landed?: (result: T) => T;
    /** Awaited before the push starts; throwing stops it. */
    beforePush?: (result: T) => Promise<void>;
    /**
     * Fetch before making the commit, for a `make` that reads other branches too (a merge reads
     * its head branch, which no lease protects).
     */
    fetchFirst?: boolean;
  },
): Promise<T> {
  const { branch, expectedHead } = options;
  const landedEarlier = async (head: string | null): Promise<T | null> => {
    if (!options.acceptLanded || expectedHead === undefined || head === null) return null;
    const { sha, result } = await options.make(expectedHead);
    if (!(await mirror.isAncestor(sha, head))) return null;
    return options.landed ? options.landed(result) : result;
  };
  return mirror.withBranchLock(branch, async () => {
    // No fetch first: the push itself is a compare-and-swap on the head the commit was made on
    // (see Mirror.pushUpdate), so a branch that moved on the remote is refused there, and only
    // then is the mirror fetched and the commit made again. The mirror is as fresh as a read
    // would want it (ensureFresh), which is current after any push Aegis made itself.
    if (options.fetchFirst) await mirror.sync();
    else await mirror.ensureFresh();
    let head = await mirror.branchHead(branch);
    if (expectedHead !== undefined && head !== expectedHead) {
      // Perhaps only the mirror is behind: look again before refusing.
      await mirror.sync();
      head = await mirror.branchHead(branch);
      if (head !== expectedHead) {
        const landed = await landedEarlier(head);
        if (landed !== null) return landed;
        throw branchMoved(branch, expectedHead, head);
      }
    }
    for (let attempt = 1; ; attempt++) {
      const { sha, result } = await options.make(head);
      await assertFastForward(mirror, branch, head, sha);
      await options.beforePush?.(result);
      const outcome = await mirror.pushUpdate(branch, head, sha);
      if (outcome.ok) {
        await mirror.recordBranchHead(branch, sha);
        return result;
      }
      if (!outcome.race) throw conflict(`The remote refused the update of "${branch}": ${outcome.reason}.`);
      mirror.markStale();
      if (expectedHead !== undefined) {
        // Lost a race: perhaps to another attempt pushing this very commit.
        await mirror.sync();
        const now = await mirror.branchHead(branch);
        const landed = await landedEarlier(now);
        if (landed !== null) return landed;
        if (now !== expectedHead) throw branchMoved(branch, expectedHead, now);
        throw conflict(`Branch "${branch}" moved on the remote (someone else pushed to it). Read it again and retry.`);
      }
      if (attempt >= mirror.settings.pushAttempts) {
        throw conflict(`Branch "${branch}" kept moving on the remote; gave up after ${attempt} attempts.`);
      }
      await mirror.sync();
      head = await mirror.branchHead(branch);
    }
  });
}

/**
 * The push is a compare-and-swap on `head`; this makes sure it can only ever be a fast-forward
 * (or the creation of an absent branch), so no commit on the remote is ever dropped.
 */
async function assertFastForward(mirror: Mirror, branch: string, head: string | null, sha: string): Promise<void> {
  if (head === null || head === sha) return;
  if ((await mirror.commitParents(sha)).includes(head)) return;
  if (await mirror.isAncestor(head, sha)) return;
  throw new Error(`refusing to move "${branch}" from ${head} to ${sha}: not a fast-forward`);
}
