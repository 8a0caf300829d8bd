// One MCP server per agent session, on the SDK's low-level Server: the tool list is computed once
// for all sessions, and each session only holds its handlers (10,000 idle sessions must stay small).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type RequestId,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { isAppError } from '../errors';
import { ProtocolError, runToolCall, type CallSession } from './call-pipeline';
import { TOOLS } from './tools/registry';
import { metrics, toolLabel } from '../metrics/metrics';

export const SERVER_INFO = { name: 'aegis', version: '0.1.0' };

const INSTRUCTIONS =
  "Aegis governs this repository: every branch, push and pull request you make is checked against the room's policies and audited. " +
  'A call may be allowed, rewritten into a safer equivalent (e.g. a push to a protected branch becomes a branch plus a pull request), ' +
  'held for human approval (use wait_for_approval with the approval id you get), or blocked with a message: adapt to what it says.';

const TOOL_LIST: Tool[] = TOOLS.map((tool) => ({
  name: tool.name,
  description: tool.description,
  inputSchema: z.toJSONSchema(tool.input, { io: 'input' }) as Tool['inputSchema'],
  annotations: { readOnlyHint: tool.kind === 'read', destructiveHint: tool.name === 'delete_branch' },
}));

// Every SDK Server builds its own JSON-schema validator (about 18 KiB) unless given one; it only
// checks elicitation answers, which Aegis never requests, so one serves every session.
const SHARED_VALIDATOR = new AjvJsonSchemaValidator();

export type ServerHooks = {
  onAuthLost: () => void;
  /**
   * A request's handler started; the returned function is called when it has finished. The
   * session answers the requests still in flight when it ends (they would otherwise never be).
   */
  onRequestStarted?: (requestId: RequestId) => () => void;
};

export function createMcpServer(session: CallSession, hooks: ServerHooks) {
  const server = new Server(SERVER_INFO, {
    capabilities: { tools: {} },
    instructions: INSTRUCTIONS,
    jsonSchemaValidator: SHARED_VALIDATOR,
  });
  server.setRequestHandler(ListToolsRequestSchema, async (_request, extra) => {
    const finished = hooks.onRequestStarted?.(extra.requestId);
    try {
      await authenticateOrThrow(session, hooks.onAuthLost);
      return { tools: TOOL_LIST };
    } finally {
      finished?.();
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const finished = hooks.onRequestStarted?.(extra.requestId);
    const progressToken = request.params._meta?.progressToken;
    const progress =
      progressToken === undefined
        ? undefined
        : (progress: number, total: number, message: string) =>
            extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress, total, message },
            });
    const stopTimer = metrics().callSeconds.startTimer({ tool: toolLabel(request.params.name) });
    try {
      return await runToolCall(session, request.params.name, request.params.arguments, progress);
    } catch (error) {
      if (error instanceof ProtocolError) {
        if (error.endsSession) hooks.onAuthLost();
        throw new McpError(error.code, error.message);
      }
      throw error;
    } finally {
      stopTimer();
      finished?.();
    }
  });
  return server;
}

async function authenticateOrThrow(session: CallSession, onAuthLost: () => void) {
  try {
    await session.authenticate();
  } catch (error) {
    if (!isAppError(error)) throw new McpError(-32603, 'Aegis could not check the credentials; nothing was done');
    onAuthLost();
    throw new McpError(-32001, `${error.code}: ${error.message}`);
  }
}
