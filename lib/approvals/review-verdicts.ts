// Who decided a held call, and what they said: read by the agent's result (the review form promises
// the reviewer that the agent sees the comment) and by the audit entry of the call's outcome.
import { db } from '../db';
import type { Prisma } from '../generated/prisma/client';

/** One reviewer's decision as the agent reads it. */
export type ReviewVerdict = {
  decision: 'approved' | 'denied';
  reviewer: { name: string; email: string | null };
  comment: string | null;
  reviewed_at: string;
};

/** The reviews of an approval in the order they were given, with each reviewer's name and email. */
export async function reviewVerdicts(
  approvalId: string,
  client: Pick<Prisma.TransactionClient, 'approvalReview' | 'user'> = db,
): Promise<ReviewVerdict[]> {
  const reviews = await client.approvalReview.findMany({
    where: { approvalId },
    orderBy: { createdAt: 'asc' },
    select: { reviewerId: true, decision: true, comment: true, createdAt: true },
  });
  const users = await client.user.findMany({
    where: { id: { in: reviews.map((r) => r.reviewerId) } },
    select: { id: true, name: true, email: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  return reviews.map((r) => {
    const user = byId.get(r.reviewerId);
    return {
      decision: r.decision === 'deny' ? 'denied' : 'approved',
      reviewer: { name: user?.name ?? 'a former user', email: user?.email ?? null },
      comment: r.comment || null,
      reviewed_at: r.createdAt.toISOString(),
    };
  });
}

/** "Alice (alice@example.com): "Looks fine"" — who decided, as the dashboard names them, and what they said. */
function describeReviewer(verdict: ReviewVerdict): string {
  const who = verdict.reviewer.email ? `${verdict.reviewer.name} (${verdict.reviewer.email})` : verdict.reviewer.name;
  return verdict.comment ? `${who}: "${verdict.comment}"` : who;
}

/** "Approved by A: "…" and B" — the sentence that opens what the agent is told. */
export function describeVerdicts(decision: ReviewVerdict['decision'], verdicts: ReviewVerdict[]): string {
  const deciding = verdicts.filter((v) => v.decision === decision);
  const label = decision === 'approved' ? 'Approved' : 'Denied';
  if (deciding.length === 0) return `${label} by a reviewer`;
  return `${label} by ${deciding.map(describeReviewer).join(' and ')}`;
}
