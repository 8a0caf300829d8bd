// Branch operations on the remote: listing, reading one head, creating (only where none
// exists) and deleting (only the head we saw, never the default branch). Writes do not fetch
// first: each push carries a lease that the remote checks atomically.

import { conflict, notFound } from '../errors';
import type { Mirror } from './mirror';
import type { Branch } from './types';
import { branchMoved, validateCommitId, validateRefSyntax } from './update-branch';
import { validateBranchName } from './validate-ref';

export async function listBranches(mirror: Mirror): Promise<Branch[]> {
  await mirror.ensureFresh();
  return mirror.listBranches();
}

export async function headOf(mirror: Mirror, branch: string): Promise<string | null> {
  validateBranchName(branch);
  await mirror.ensureFresh();
  return mirror.branchHead(branch);
}

export async function createBranch(mirror: Mirror, name: string, fromRef: string): Promise<Branch> {
  validateBranchName(name);
  validateRefSyntax(fromRef, 'fromRef');
  return mirror.withBranchLock(name, async () => {
    // No fetch first: the push's lease refuses a branch that exists on the remote anyway.
    await mirror.ensureFresh();
    if (await mirror.branchHead(name)) {
      // Perhaps only the mirror still has it: look again before refusing.
      await mirror.sync();
      if (await mirror.branchHead(name)) throw conflict(`Branch "${name}" already exists.`);
    }
    const sha = await mirror.resolveCommit(fromRef, 'branch or commit to start from');
    // The lease "must not exist yet" keeps a branch someone else just created from being moved.
    const outcome = await mirror.push(`${sha}:refs/heads/${name}`, { lease: `refs/heads/${name}:` });
    if (!outcome.ok) {
      mirror.markStale();
      if (outcome.race) throw conflict(`Branch "${name}" already exists.`);
      throw conflict(`The remote refused to create "${name}": ${outcome.reason}.`);
    }
    if (outcome.flag === 'up-to-date') throw conflict(`Branch "${name}" already exists.`);
    await mirror.recordBranchHead(name, sha);
    return { name, sha };
  });
}

export async function deleteBranch(
  mirror: Mirror,
  name: string,
  options: { expectedHead?: string } = {},
): Promise<void> {
  validateBranchName(name);
  const expectedHead = validateCommitId(options.expectedHead, 'expectedHead');
  await mirror.withBranchLock(name, async () => {
    // The remote's head of the branch and its default branch, in one round trip (no fetch).
    const { head, defaultBranch } = await mirror.remoteHeads(name);
    if (head !== (await mirror.branchHead(name))) mirror.markStale();
    if (!head) throw notFound(`Branch "${name}" does not exist.`);
    if (expectedHead !== undefined && head !== expectedHead) throw branchMoved(name, expectedHead, head);
    if (defaultBranch === name) throw conflict(`"${name}" is the repository's default branch and cannot be deleted.`);
    // The lease deletes only the head we checked, not one someone pushed a moment ago.
    const outcome = await mirror.push(`:refs/heads/${name}`, { lease: `refs/heads/${name}:${head}` });
    if (!outcome.ok) {
      mirror.markStale();
      if (outcome.race)
        throw conflict(`Branch "${name}" moved on the remote; it was not deleted. Read it again and retry.`);
      throw conflict(`The remote refused to delete "${name}": ${outcome.reason}.`);
    }
    await mirror.recordBranchHead(name, null);
  });
}
