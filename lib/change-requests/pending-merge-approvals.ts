// The merges of one change request that wait for a reviewer, so its page can say so (and link to
// them) instead of inviting a second click that would queue the same merge again.
import { db } from '../db';

export async function pendingMergeApprovals(roomId: string, number: number) {
  return db.approval.findMany({
    where: {
      roomId,
      tool: 'merge_pull_request',
      status: 'pending',
      expiresAt: { gt: new Date() },
      arguments: { path: ['pullNumber'], equals: number },
    },
    orderBy: { createdAt: 'asc' },
    select: { id: true, requesterId: true, arguments: true, createdAt: true },
  });
}
