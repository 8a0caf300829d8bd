// GET /api/approvals/count — how many approvals wait for the signed-in user's review
import { currentUser } from '@/lib/auth/session';
import { pendingApprovalCount } from '@/lib/approvals/list-approvals';

export const dynamic = 'force-dynamic';

export async function GET() {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'unauthenticated', message: 'Sign in first' }, { status: 401 });
  return Response.json({ pending: await pendingApprovalCount(user.id) });
}
