// Every tool an agent can call, by name.
import { REPOSITORY_TOOLS } from './repository-tools';
import { waitForApprovalTool } from './approval-tools';
import type { ToolDefinition } from './tool-types';

export const TOOLS: ToolDefinition[] = [...REPOSITORY_TOOLS, waitForApprovalTool];
const BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

export function findTool(name: string): ToolDefinition | undefined {
  return BY_NAME.get(name);
}
