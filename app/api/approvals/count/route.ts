// GET /api/approvals/count — how many approvals wait for the signed-in user's review
import { currentUser } from '@/lib/auth/session';
import { unauthenticated } from '@/lib/http/error-response';
import { pendingApprovalCount } from '@/lib/approvals/list-approvals';

export const dynamic = 'force-dynamic';

export async function GET() {
  const user = await currentUser();
  if (!user) return unauthenticated();
  return Response.json({ pending: await pendingApprovalCount(user.id) });
}
