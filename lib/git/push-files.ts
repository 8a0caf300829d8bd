// push_files: several file writes and deletions as one commit on a branch, made with plumbing
// on the mirror (on the tree its preview already built) and pushed without force; re-applied on
// the new head if someone else pushed first and the change stays the same, unless the caller
// pinned the head it expected.

import { conflict, notFound } from '../errors';
import { buildTree, emptyTree, prepareChanges } from './build-tree';
import { createCommit, validateMessage, validatePerson } from './commit';
import { diffStats } from './diff';
import type { Mirror } from './mirror';
import type { PushFilesInput, PushResult } from './types';
import { updateBranch, validateCommitId, validateRefSyntax } from './update-branch';
import { validateBranchName } from './validate-ref';

export async function pushFiles(mirror: Mirror, input: PushFilesInput): Promise<PushResult> {
  const branch = validateBranchName(input.branch);
  const changes = prepareChanges(input.files, input.deletions, mirror.settings);
  const message = validateMessage(input.message);
  const author = validatePerson(input.author);
  const committer = mirror.settings.committer ? validatePerson(mirror.settings.committer, 'committer') : author;
  const expectedHead = input.expectedHead === null ? null : validateCommitId(input.expectedHead, 'expectedHead');
  const createFrom = validateRefSyntax(input.createBranchFrom, 'createBranchFrom');
  if (input.acceptLanded && (expectedHead === undefined || !input.commitDate)) {
    // Without both, a second attempt makes a different commit, which must not count as landed.
    throw new TypeError('acceptLanded needs expectedHead and commitDate');
  }

  // What the policy decided on: the changes made on this parent (see PushFilesInput.previewedOn).
  let decided: { parent: string | null; tree: Promise<string> } | null =
    input.previewedOn === undefined
      ? null
      : {
          parent: input.previewedOn,
          tree: buildTree(mirror, input.previewedOn, changes, `branch "${branch}"`),
        };
  decided?.tree.catch(() => undefined);

  return updateBranch(mirror, {
    branch,
    expectedHead,
    acceptLanded: input.acceptLanded,
    beforePush: input.beforePush,
    make: async (head) => {
      const parent = head ?? (await startingPoint(mirror, branch, createFrom));
      const tree = await buildTree(mirror, parent, changes, `branch "${branch}"`);
      if (decided === null) decided = { parent, tree: Promise.resolve(tree) };
      else if (decided.parent !== parent) await assertSameChanges(mirror, branch, decided, { parent, tree });
      const sha = await createCommit(mirror, {
        tree,
        parents: parent ? [parent] : [],
        message,
        author,
        committer,
        date: input.commitDate,
      });
      return { sha, result: { commitSha: sha, parentSha: parent, branch, created: head === null } };
    },
    landed: (result) => ({ ...result, landedEarlier: true }),
  });
}

/**
 * The policy decided on what this push changes on the commit it saw. Made on another commit (the
 * branch moved), the same files may change differently (a file now added instead of modified,
 * other line counts): then nothing is pushed, and the caller asks again.
 */
async function assertSameChanges(
  mirror: Mirror,
  branch: string,
  decided: { parent: string | null; tree: Promise<string> },
  now: { parent: string | null; tree: string },
): Promise<void> {
  const [before, after] = await Promise.all([
    decided.tree.then((tree) => changeSummary(mirror, decided.parent, tree)),
    changeSummary(mirror, now.parent, now.tree),
  ]);
  if (before !== after) {
    throw conflict(
      `Branch "${branch}" moved while pushing, and on its new head these changes would differ from the ones the policy decided on. Nothing was pushed; read it again and retry.`,
    );
  }
}

/** What a tree changes relative to `parent`, as the policy sees it (paths, status, lines). */
async function changeSummary(mirror: Mirror, parent: string | null, tree: string): Promise<string> {
  const stats = await diffStats(mirror, parent ? `${parent}^{tree}` : await emptyTree(mirror), tree);
  return JSON.stringify(stats.files.map((f) => [f.path, f.status, f.additions, f.deletions, f.binary]));
}

/**
 * Where a branch that does not exist yet starts: `createBranchFrom`, or nothing at all when
 * the repository is empty (its first commit).
 */
export async function startingPoint(
  mirror: Mirror,
  branch: string,
  createFrom: string | undefined,
): Promise<string | null> {
  if (createFrom !== undefined) return mirror.resolveCommit(createFrom, 'branch or commit to start from');
  if ((await mirror.listBranches()).length === 0) return null;
  throw notFound(`Branch "${branch}" does not exist; give a branch to create it from.`);
}
