// What the policy engine is told about a call, built the same way for the live gateway and the
// policy simulator: target and base branches, whether a branch is being created, the changes a
// push or merge would make (from git, without writing anything) and the pushed text for secret
// scanning. `baseSha` is the branch head the facts were computed against: an approval is bound
// to it. A merge that names the head commit it expects (`sha`) is refused here if the branch moved.
import { conflict } from '../errors';
import type { CallFacts } from '../policy';
import { roomRepository } from '../repositories/room-repository';
import { pullNumberOf, REPOSITORY_TOOLS } from './tools/repository-tools';
import type { ToolContext } from './tools/tool-types';

export type GatheredFacts = {
  facts: CallFacts;
  baseSha: string | null;
  /** For pushes and merges: the unified diff the facts were computed from (what a reviewer reads). */
  patch?: string;
  patchTruncated?: boolean;
};

type Args = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export type GatherOptions = {
  now?: Date;
  /** Simulator only: the pushed paths are known but not their content, so git cannot size the changes. */
  pathsOnly?: boolean;
};

function headMoved(changeRequest: { number: number; head: string }, pinned: string, current: string) {
  return conflict(
    `The branch moved: pull request #${changeRequest.number} was reviewed at ${pinned.slice(0, 12)}, but "${changeRequest.head}" ` +
      `is now at ${current.slice(0, 12)}. Nothing was merged; review the new changes and merge again.`,
  );
}

export async function gatherCallFacts(
  context: ToolContext,
  tool: string,
  args: Args,
  options: GatherOptions = {},
): Promise<GatheredFacts> {
  const base = { tool, role: context.role, now: options.now ?? new Date() } as CallFacts;
  const { room } = context;
  // A tool that owns its facts describes itself.
  const own = REPOSITORY_TOOLS.find((t) => t.name === tool)?.facts;
  if (own) return own(context, args, base);
  switch (tool) {
    case 'create_branch': {
      const branch = text(args.branch)!;
      const repository = await roomRepository(room.id);
      const exists = (await repository.headOf(branch)) !== null;
      return { facts: { ...base, branch, ...(exists ? {} : { newBranch: branch }) }, baseSha: null };
    }
    case 'push_files': {
      const branch = text(args.branch)!;
      const files = (args.files as { path: string; content: string }[]) ?? [];
      const deletions = (args.deletions as string[] | undefined) ?? [];
      const repository = await roomRepository(room.id);
      if (options.pathsOnly) {
        const head = await repository.headOf(branch);
        const changes = files.map((f) => ({ path: f.path, status: 'modified' as const, additions: 0, deletions: 0 }));
        return { facts: { ...base, branch, ...(head ? {} : { newBranch: branch }), changes }, baseSha: head };
      }
      const preview = await repository.previewChanges({
        branch,
        files,
        deletions,
        createBranchFrom: room.defaultBranch,
      });
      return {
        facts: {
          ...base,
          branch,
          ...(preview.createsBranch ? { newBranch: branch } : {}),
          changes: preview.files.map((f) => ({
            path: f.path,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
          })),
          contents: files.map((f) => ({ path: f.path, content: f.content })),
        },
        baseSha: preview.baseSha,
        patch: preview.patch,
        patchTruncated: preview.truncated,
      };
    }
    case 'create_pull_request':
      return {
        facts: { ...base, branch: text(args.head), baseBranch: text(args.base) ?? room.defaultBranch },
        baseSha: null,
      };
    case 'merge_pull_request': {
      const repository = await roomRepository(room.id);
      const changeRequest = await repository.getPullRequest(pullNumberOf(args));
      const diff = await repository.diff(changeRequest.base, changeRequest.head, { mergeBase: true });
      // A merge pinned to the head commit its reviewer saw is decided on that commit or not at all.
      const pinned = text(args.sha)?.toLowerCase();
      if (pinned && pinned !== diff.headSha) throw headMoved(changeRequest, pinned, diff.headSha);
      // What only a GitHub room knows: CI on the head commit, and GitHub reviews.
      const [ciStatus, reviewApproved] = await Promise.all([
        repository.ciStatus?.(diff.headSha),
        repository.hasApprovingReview?.(changeRequest.number),
      ]);
      return {
        facts: {
          ...base,
          ...(ciStatus !== undefined ? { ciStatus } : {}),
          ...(reviewApproved !== undefined ? { reviewApproved } : {}),
          branch: changeRequest.base,
          baseBranch: changeRequest.base,
          changes: diff.files.map((f) => ({
            path: f.path,
            status: f.status,
            additions: f.additions,
            deletions: f.deletions,
          })),
        },
        baseSha: `${diff.baseSha}..${diff.headSha}`,
        patch: diff.patch,
        patchTruncated: diff.truncated,
      };
    }
    case 'delete_branch':
      return { facts: { ...base, branch: text(args.branch) }, baseSha: null };
    default:
      return { facts: base, baseSha: null };
  }
}
