// GET, POST, DELETE /mcp — the MCP Streamable HTTP transport (protocol 2025-06-18 and later)
import { handleMcp } from '@/lib/gateway/http-handlers';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export { handleMcp as GET, handleMcp as POST, handleMcp as DELETE };
