// Running a call the policy allowed (or rewrote), for the live pipeline and for approved actions.
import { executeRewrittenPush } from './rewrite';
import type { ToolContext, ToolDefinition, ToolOutcome } from './tools/tool-types';

export async function executeCall(
  context: ToolContext,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  effect: 'allow' | 'rewrite',
): Promise<ToolOutcome> {
  if (effect === 'rewrite') {
    const push = tool.asPush ? tool.asPush(args) : args;
    return executeRewrittenPush(context, push as Parameters<typeof executeRewrittenPush>[1]);
  }
  return tool.execute(context, args);
}
