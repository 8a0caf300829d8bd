// Moving a branch on the remote safely: under the branch's in-process lock, fetch, compute the
// new commit from the head just fetched, push it without force, and when the push loses a race
// with another writer, fetch and compute again — or refuse when the caller pinned the head.

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
    /** The new head, computed from the freshly fetched current one (null: branch absent). */
    make: (head: string | null) => Promise<{ sha: string; result: T }>;
    /**
     * With `expectedHead`, for a `make` that always gives the same commit for the same head: when
     * the branch already contains that commit, it landed earlier: return `landed(result)`.
     */
    acceptLanded?: boolean;
    landed?: (result: T) => T;
    /** Awaited before the push starts; throwing stops it. */
    beforePush?: (result: T) => Promise<void>;
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
    for (let attempt = 1; ; attempt++) {
      await mirror.sync();
      const head = await mirror.branchHead(branch);
      if (expectedHead !== undefined && head !== expectedHead) {
        const landed = await landedEarlier(head);
        if (landed !== null) return landed;
        throw branchMoved(branch, expectedHead, head);
      }
      const { sha, result } = await options.make(head);
      await options.beforePush?.(result);
      const outcome = await mirror.push(`${sha}:refs/heads/${branch}`);
      if (outcome.ok) {
        await mirror.recordBranchHead(branch, sha);
        return result;
      }
      if (!outcome.race) throw conflict(`The remote refused the update of "${branch}": ${outcome.reason}.`);
      if (expectedHead !== undefined) {
        mirror.markStale();
        // Lost a race: perhaps to another attempt pushing this very commit.
        if (options.acceptLanded) {
          await mirror.sync();
          const landed = await landedEarlier(await mirror.branchHead(branch));
          if (landed !== null) return landed;
        }
        throw conflict(`Branch "${branch}" moved on the remote (someone else pushed to it). Read it again and retry.`);
      }
      if (attempt >= mirror.settings.pushAttempts) {
        mirror.markStale();
        throw conflict(`Branch "${branch}" kept moving on the remote; gave up after ${attempt} attempts.`);
      }
    }
  });
}
