// merge_pull_request for git rooms: fast-forward when possible (or when required), otherwise a
// merge commit (two parents) or a squash commit (one parent) whose tree comes from
// `git merge-tree --write-tree` — no working tree, no index. Conflicts are refused with the
// conflicting paths; the base branch is pushed without force, racing writers as push_files does.

import { AppError, conflict, invalid, notFound } from '../errors';
import { createCommit, validateMessage, validatePerson } from './commit';
import type { Mirror } from './mirror';
import { GitCommandError } from './run-git';
import type { MergeInput, MergeMethod, MergeResult } from './types';
import { branchMoved, updateBranch, validateCommitId } from './update-branch';
import { validateBranchName } from './validate-ref';

const METHODS: readonly MergeMethod[] = ['merge', 'squash', 'fast-forward'];
const MAX_LISTED_CONFLICTS = 20;

export async function mergeBranches(mirror: Mirror, input: MergeInput): Promise<MergeResult> {
  const base = validateBranchName(input.base);
  const head = validateBranchName(input.head);
  if (base === head) throw invalid('A branch cannot be merged into itself.', { field: 'head' });
  if (!METHODS.includes(input.method))
    throw invalid(`The merge method must be one of ${METHODS.join(', ')}.`, { field: 'method' });
  const author = validatePerson(input.author);
  const committer = mirror.settings.committer ? validatePerson(mirror.settings.committer, 'committer') : author;
  const message = validateMessage(input.message ?? `Merge branch '${head}' into ${base}`);
  const expectedBase = validateCommitId(input.expectedBaseSha, 'expectedBaseSha');
  const expectedHead = validateCommitId(input.expectedHeadSha, 'expectedHeadSha');

  return updateBranch<MergeResult>(mirror, {
    branch: base,
    expectedHead: expectedBase,
    fetchFirst: true,
    make: async (baseSha) => {
      if (!baseSha) throw notFound(`Branch "${base}" does not exist.`);
      const headSha = await mirror.branchHead(head);
      if (!headSha) throw notFound(`Branch "${head}" does not exist.`);
      if (expectedHead !== undefined && headSha !== expectedHead) throw branchMoved(head, expectedHead, headSha);
      if (await mirror.isAncestor(headSha, baseSha)) {
        throw invalid(`Nothing to merge: "${base}" already contains everything on "${head}".`);
      }
      const canFastForward = await mirror.isAncestor(baseSha, headSha);
      const fastForward = {
        sha: headSha,
        result: { sha: headSha, previousSha: baseSha, method: 'fast-forward' } satisfies MergeResult,
      };
      if (input.method === 'fast-forward') {
        if (!canFastForward) {
          throw conflict(`Cannot fast-forward "${base}" to "${head}": "${base}" has commits that "${head}" does not.`);
        }
        return fastForward;
      }
      if (input.method === 'merge' && canFastForward) return fastForward;

      const tree = await mergedTree(mirror, baseSha, headSha, base, head);
      const parents = input.method === 'squash' ? [baseSha] : [baseSha, headSha];
      const sha = await createCommit(mirror, { tree, parents, message, author, committer });
      return { sha, result: { sha, previousSha: baseSha, method: input.method } };
    },
  });
}

/** The tree of merging `theirs` into `ours`, or a conflict error naming the paths. */
async function mergedTree(mirror: Mirror, ours: string, theirs: string, base: string, head: string): Promise<string> {
  let result;
  try {
    result = await mirror.git(['merge-tree', '--write-tree', '--no-messages', '--name-only', '-z', ours, theirs], {
      okExitCodes: [1],
    });
  } catch (error) {
    if (error instanceof GitCommandError && /unrelated histories/i.test(error.stderr)) {
      throw conflict(`Cannot merge "${head}" into "${base}": they have no history in common.`);
    }
    throw error;
  }
  const [tree, ...rest] = result.stdout.toString('utf8').split('\0');
  if (result.exitCode === 0) return tree;
  const end = rest.indexOf('');
  const paths = [...new Set(end === -1 ? rest : rest.slice(0, end))];
  const listed = paths.slice(0, MAX_LISTED_CONFLICTS).join(', ');
  const more = paths.length > MAX_LISTED_CONFLICTS ? ` and ${paths.length - MAX_LISTED_CONFLICTS} more` : '';
  throw new AppError('conflict', `Cannot merge "${head}" into "${base}": conflicts in ${listed}${more}.`, {
    conflictingPaths: paths,
  });
}
