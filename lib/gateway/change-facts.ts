// The facts of a change to files on a branch (push_files, create_or_update_file, delete_file):
// what it would change, computed by the room's repository without writing anything, the pushed
// text for secret scanning, and the diff a reviewer reads. Policies see every file write as the
// push it is (tool `push_files`), so branch protection, secret scanning and sensitive paths hold
// for the single-file tools exactly as for push_files.
import type { CallFacts } from '../policy';
import { roomRepository } from '../repositories/room-repository';
import type { ToolContext, ToolFacts } from './tools/tool-types';

export async function changeFacts(
  context: ToolContext,
  base: CallFacts,
  change: { branch: string; files: { path: string; content: string }[]; deletions?: string[] },
): Promise<ToolFacts> {
  const repository = await roomRepository(context.room.id);
  const preview = await repository.previewChanges({
    branch: change.branch,
    files: change.files,
    deletions: change.deletions ?? [],
    createBranchFrom: context.room.defaultBranch,
  });
  return {
    facts: {
      ...base,
      tool: 'push_files',
      branch: change.branch,
      ...(preview.createsBranch ? { newBranch: change.branch } : {}),
      changes: preview.files.map((f) => ({
        path: f.path,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
      })),
      contents: change.files.map((f) => ({ path: f.path, content: f.content })),
    },
    baseSha: preview.baseSha,
    patch: preview.patch,
    patchTruncated: preview.truncated,
  };
}
