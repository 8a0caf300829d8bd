import { currentUser } from '@/lib/auth/session';
import { verifyRoomAuditChain } from '@/lib/audit/verify-audit-chain';
import { errorResponse, unauthenticated } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

// GET /api/rooms/:roomId/audit/verify
export async function GET(_request: Request, { params }: { params: Promise<{ roomId: string }> }) {
  const user = await currentUser();
  if (!user) return unauthenticated();
  try {
    const { roomId } = await params;
    return Response.json(await verifyRoomAuditChain(user.id, roomId), { headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
