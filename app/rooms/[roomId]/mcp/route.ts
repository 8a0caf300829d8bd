// GET, POST, DELETE /rooms/<roomId>/mcp — a room's own MCP URL (Streamable HTTP), for agents that
// sign in with OAuth (MCP authorization) or send a member token in headers.
import { handleRoomMcp } from '@/lib/gateway/http-handlers';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ roomId: string }> };

async function handle(request: Request, { params }: Context): Promise<Response> {
  return handleRoomMcp(request, (await params).roomId);
}

export { handle as GET, handle as POST, handle as DELETE };
