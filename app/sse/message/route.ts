// POST /sse/message?sessionId= — client messages of an HTTP+SSE session
import { handleSseMessage } from '@/lib/gateway/http-handlers';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function POST(request: Request) {
  return handleSseMessage(request);
}
