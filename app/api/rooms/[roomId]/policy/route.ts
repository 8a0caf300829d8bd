// Downloads a room's current policy as JSON or YAML, for the policy page's export links and for
// keeping the policy next to the code. Any member may read it; anyone else gets a 404.
import { z } from 'zod';
import { currentUser } from '@/lib/auth/session';
import { getRoomPolicy } from '@/lib/policies/room-policy';
import { serializePolicy } from '@/lib/policy/policy-io';
import { errorResponse, unauthenticated } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ format: z.enum(['json', 'yaml']).default('json') });

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', yaml: 'application/yaml; charset=utf-8' } as const;

// GET /api/rooms/:roomId/policy?format=json|yaml
export async function GET(request: Request, { params }: { params: Promise<{ roomId: string }> }) {
  const user = await currentUser();
  if (!user) return unauthenticated();
  try {
    const { roomId } = await params;
    const { format } = querySchema.parse({ format: new URL(request.url).searchParams.get('format') ?? undefined });
    const policy = await getRoomPolicy(user.id, roomId);
    return new Response(serializePolicy(policy.document, format), {
      headers: {
        'Content-Type': CONTENT_TYPES[format],
        'Content-Disposition': `attachment; filename="aegis-policy-${roomId}-v${policy.version}.${format}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'X-Aegis-Policy-Version': String(policy.version),
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
