// GET /api/approvals/stream — live approval changes for the signed-in user (server-sent events)
import { currentUser } from '@/lib/auth/session';
import { unauthenticated } from '@/lib/http/error-response';
import { approvalEventStream } from '@/lib/approvals/approval-stream';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return unauthenticated();
  return new Response(approvalEventStream(user.id, request.signal), {
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
    },
  });
}
