// GET /sse — the MCP HTTP+SSE transport (protocol 2024-11-05)
import { handleSseConnect } from '@/lib/gateway/http-handlers';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request) {
  return handleSseConnect(request);
}
