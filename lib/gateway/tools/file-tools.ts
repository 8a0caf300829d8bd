// create_or_update_file and delete_file, shaped like the GitHub MCP server's (and GitHub's
// contents API): one file, one commit, with GitHub's `sha` rules — replacing or deleting a file
// that exists needs the blob sha it is at now, so a write made on a stale read is refused rather
// than overwriting someone else's change. Both kinds of room offer them. The commit is made like
// push_files' (never forced), pinned to the branch head the sha was checked on. Policies see each
// call as the one-file push it is (see change-facts.ts).
import { z } from 'zod';
import { conflict, invalid, isAppError } from '../../errors';
import { validateBranchName, validateFilePath } from '../../git/validate-ref';
import { roomRepository } from '../../repositories/room-repository';
import type { RoomRepository } from '../../repositories/repository';
import { changeFacts } from '../change-facts';
import { repositoryArgs } from './repository-args';
import { defineTool, type ToolContext, type ToolOutcome } from './tool-types';

const GOVERNED =
  'Aegis checks this call against the room policy first (as a one-file push): it may be allowed, rewritten into a new branch plus a pull request, held for human approval, or blocked.';
const blobSha = z
  .string()
  .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/i, 'must be the blob SHA of the file (get_file_contents returns it)');

/** The blob the file is at on the branch head now (null: no such file), and that head. */
async function currentBlob(repository: RoomRepository, branch: string, path: string) {
  const head = await repository.headOf(branch);
  if (!head) throw invalid(`Branch "${branch}" does not exist; create it first (create_branch)`, { field: 'branch' });
  const read = await repository.readFile(head, path).catch((error: unknown) => {
    // No such file (on either kind of room): it would be created.
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (read && read.type !== 'file' && read.type !== 'symlink') {
    throw invalid(`"${path}" is a ${read.type} on ${branch}, not a file`, { field: 'path' });
  }
  return { head, sha: read?.sha ?? null };
}

async function writeOneFile(
  context: ToolContext,
  args: { branch: string; path: string; message: string; sha?: string },
  change: { content: string } | { delete: true },
): Promise<ToolOutcome> {
  const branch = validateBranchName(args.branch);
  const path = validateFilePath(args.path);
  const repository = await roomRepository(context.room.id);
  const current = await currentBlob(repository, branch, path);
  const given = args.sha?.toLowerCase();
  if ('delete' in change && current.sha === null)
    throw invalid(`"${path}" does not exist on ${branch}`, { field: 'path' });
  if (current.sha !== null && given === undefined) {
    throw invalid(`"${path}" exists on ${branch}: give its current blob sha (${current.sha}) to replace it`, {
      field: 'sha',
    });
  }
  if (given !== undefined && given !== current.sha) {
    throw conflict(
      `"${path}" on ${branch} is ${current.sha ? `at ${current.sha}` : 'absent'}, not at ${given}: it changed since you read it. Nothing was written; read it again.`,
    );
  }
  const pushed = await repository.pushFiles({
    branch,
    files: 'delete' in change ? [] : [{ path, content: change.content }],
    deletions: 'delete' in change ? [path] : [],
    message: args.message,
    author: context.author,
    // Written only where the sha was checked (or, for an allowed call, where the policy decided).
    expectedHead: context.pins?.expectedHead ?? current.head,
    ...(context.decidedOn !== undefined && context.decidedOn !== current.head
      ? { previewedOn: context.decidedOn }
      : {}),
  });
  const after = 'delete' in change ? null : await repository.readFile(pushed.commitSha, path);
  return {
    summary: `${'delete' in change ? 'deleted' : current.sha ? 'updated' : 'created'} ${path} on ${branch} as ${pushed.commitSha.slice(0, 12)}`,
    data: {
      content: after ? { path, sha: after.sha, type: 'file' } : null,
      commit: { sha: pushed.commitSha, parent: pushed.parentSha, message: args.message },
    },
    commitSha: pushed.commitSha,
    branch,
  };
}

const fileInput = {
  ...repositoryArgs,
  path: z.string().min(1).max(4096).describe('Path of the file'),
  message: z.string().min(1).max(10_000).describe('Commit message'),
  branch: z.string().min(1).max(250).describe('Branch to commit to (it must exist)'),
};

export const createOrUpdateFileTool = defineTool({
  name: 'create_or_update_file',
  description: `Create or replace one file on a branch as one commit. To replace a file that exists, pass its current blob sha (from get_file_contents). ${GOVERNED}`,
  kind: 'write',
  input: z.object({
    ...fileInput,
    content: z.string().describe('The full new content of the file'),
    sha: blobSha.optional().describe('Blob SHA of the file being replaced (required when it exists)'),
  }),
  facts: (context, args, base) =>
    changeFacts(context, base, { branch: args.branch, files: [{ path: args.path, content: args.content }] }),
  asPush: (args) => ({
    branch: args.branch,
    files: [{ path: args.path, content: args.content }],
    message: args.message,
  }),
  execute: (context, args) => writeOneFile(context, args, { content: args.content }),
});

export const deleteFileTool = defineTool({
  name: 'delete_file',
  description: `Delete one file on a branch as one commit; pass its current blob sha (from get_file_contents). ${GOVERNED}`,
  kind: 'write',
  input: z.object({ ...fileInput, sha: blobSha.describe('Blob SHA of the file being deleted') }),
  facts: (context, args, base) =>
    changeFacts(context, base, { branch: args.branch, files: [], deletions: [args.path] }),
  asPush: (args) => ({ branch: args.branch, files: [], deletions: [args.path], message: args.message }),
  execute: (context, args) => writeOneFile(context, args, { delete: true }),
});
