// What a tool is to the gateway: a name and description for agents, a zod input schema, whether it
// reads or writes, and how it runs against the room's repository.
import type { z } from 'zod';
import type { Role } from '../../generated/prisma/enums';

export type RoomFacts = {
  id: string;
  name: string;
  repositoryKind: 'git' | 'github';
  repositoryLocation: string;
  defaultBranch: string;
  protectedBranches: string[];
  branchPattern: string;
};

export type ToolContext = {
  room: RoomFacts;
  userId: string;
  role: Role;
  author: { name: string; email: string };
  sessionId: string;
  /** Where Aegis is served, for links in results. */
  baseUrl: string;
  /** For approved pushes: the branch head the reviewer saw; the push is refused if it moved. */
  expectedHead?: string;
  /** Progress notifications to the agent while a call waits (e.g. for an approval). */
  progress?: (progress: number, total: number, message: string) => Promise<void>;
};

export type ToolOutcome = {
  /** One line for the audit log. */
  summary: string;
  /** What the agent receives (as JSON text). */
  data: unknown;
  commitSha?: string;
  branch?: string;
  pullRequest?: number;
};

export type ToolDefinition<Schema extends z.ZodObject = z.ZodObject> = {
  name: string;
  description: string;
  kind: 'read' | 'write';
  input: Schema;
  execute: (context: ToolContext, args: z.infer<Schema>) => Promise<ToolOutcome>;
};

export function defineTool<Schema extends z.ZodObject>(tool: ToolDefinition<Schema>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}
