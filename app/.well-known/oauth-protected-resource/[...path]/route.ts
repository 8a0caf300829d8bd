// GET /.well-known/oauth-protected-resource/<path> — protected resource metadata (RFC 9728) for a
// room's MCP URL (rooms/<id>/mcp), and for /mcp and /sse.
import { corsPreflight, handleProtectedResourceMetadata } from '@/lib/oauth/http-endpoints';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }) {
  return handleProtectedResourceMetadata(request, (await params).path);
}

export { corsPreflight as OPTIONS };
