// The diff a reviewer reads for a held push or merge. It is kept with the approval when the call is
// decided (the policy computed it anyway), so the approval page shows the change that was reviewed
// and approved — also after it landed, when a diff against the branch as it is now would be empty.
// Approvals created before it was kept fall back to computing it against the branch as it is now.
import { z } from 'zod';
import { db } from '../db';
import { isAppError } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import type { GatheredFacts } from '../gateway/call-facts';
import { pullNumberOf } from '../gateway/tools/repository-tools';
import { roomRepository } from '../repositories/room-repository';

const reviewedDiffSchema = z.object({
  patch: z.string(),
  truncated: z.boolean(),
  /** The commit the changes sit on (a push), or `mergeBase..head` (a merge). */
  against: z.string().nullable(),
});

export type ReviewedDiff = z.infer<typeof reviewedDiffSchema>;

/** What the approval page shows: the kept diff, one computed now (older approvals), or why there is none. */
export type ApprovalDiff = (ReviewedDiff & { asOf: 'request' | 'now' }) | { error: string };

/** The diff to keep with a new approval, from the facts its decision was made on (null: no diff). */
export function reviewedDiffOf(gathered: GatheredFacts): Prisma.InputJsonObject | undefined {
  if (gathered.patch === undefined) return undefined;
  const diff: ReviewedDiff = {
    patch: gathered.patch,
    truncated: gathered.patchTruncated ?? false,
    against: gathered.baseSha,
  };
  return diff;
}

/** The diff for the approval page: the one kept at request time, else (older approvals) one computed now. */
export async function approvalDiff(approval: {
  roomId: string;
  tool: string;
  arguments: unknown;
  reviewedDiff: unknown;
}): Promise<ApprovalDiff | null> {
  const kept = reviewedDiffSchema.safeParse(approval.reviewedDiff);
  if (kept.success) return { ...kept.data, asOf: 'request' };
  try {
    const diff = await currentDiff(approval.roomId, approval.tool, approval.arguments as Record<string, unknown>);
    return diff && { ...diff, asOf: 'now' };
  } catch (error) {
    return { error: isAppError(error) ? error.message : 'The diff could not be computed' };
  }
}

/** For pushes and merges: the diff against the branch head as it is now. */
async function currentDiff(roomId: string, tool: string, args: Record<string, unknown>): Promise<ReviewedDiff | null> {
  const repository = await roomRepository(roomId);
  if (tool === 'push_files') {
    const { defaultBranch } = await db.room.findUniqueOrThrow({
      where: { id: roomId },
      select: { defaultBranch: true },
    });
    const preview = await repository.previewChanges({
      branch: String(args.branch),
      files: (args.files as { path: string; content: string }[]) ?? [],
      deletions: (args.deletions as string[] | undefined) ?? [],
      createBranchFrom: defaultBranch,
    });
    return { patch: preview.patch, truncated: preview.truncated, against: preview.baseSha };
  }
  if (tool === 'merge_pull_request') {
    const changeRequest = await repository.getPullRequest(pullNumberOf(args));
    // A merge pinned to a head commit merges exactly that commit: show it, not the branch as it is now.
    const head = typeof args.sha === 'string' ? args.sha : changeRequest.head;
    const diff = await repository.diff(changeRequest.base, head, { mergeBase: true });
    return { patch: diff.patch, truncated: diff.truncated, against: `${diff.baseSha}..${diff.headSha}` };
  }
  return null;
}
