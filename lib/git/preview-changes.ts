// What a push_files call would change, computed without moving any ref: per-file status, line
// counts and the unified diff against the branch head. Used for policy decisions and for the
// diff a reviewer approves.

import { buildTree, emptyTree, prepareChanges } from './build-tree';
import { diffTrees } from './diff';
import type { Mirror } from './mirror';
import { startingPoint } from './push-files';
import type { ChangePreview, ChangeSet } from './types';
import { validateRefSyntax } from './update-branch';
import { validateBranchName } from './validate-ref';

export async function previewChanges(mirror: Mirror, input: ChangeSet): Promise<ChangePreview> {
  const branch = validateBranchName(input.branch);
  const changes = prepareChanges(input.files, input.deletions, mirror.settings);
  const createFrom = validateRefSyntax(input.createBranchFrom, 'createBranchFrom');

  await mirror.ensureFresh();
  const head = await mirror.branchHead(branch);
  const base = head ?? (await startingPoint(mirror, branch, createFrom));
  // Objects are written to the mirror's store (harmless, collected by gc); no ref moves.
  const tree = await buildTree(mirror, base, changes, `branch "${branch}"`);
  const from = base ? `${base}^{tree}` : await emptyTree(mirror);
  const diff = await diffTrees(mirror, from, tree);
  return { branch, baseSha: base, createsBranch: head === null, ...diff };
}
