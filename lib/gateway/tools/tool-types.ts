// What a tool is to the gateway: a name and description for agents, a zod input schema, whether it
// reads or writes, and how it runs against the room's repository.
import type { z } from 'zod';
import type { Role } from '../../generated/prisma/enums';
import type { CallFacts } from '../../policy';

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
  /** For approved actions: what pins the execution to what was reviewed (see ExecutionPins). */
  pins?: ExecutionPins;
  /**
   * For allowed calls: the branch head the policy's facts were computed against (a push is
   * refused rather than made with other changes on a branch that moved since).
   */
  decidedOn?: string | null;
  /** Progress notifications to the agent while a call waits (e.g. for an approval). */
  progress?: (progress: number, total: number, message: string) => Promise<void>;
};

/**
 * How an approved push is made repeatable: the same change, on the same parent, with the same
 * author and dates, is the same commit on every attempt, pushed only where the branch was; so a
 * retry after a crash either finds that commit already landed or pushes that very commit.
 */
export type ExecutionPins = {
  /** The branch head the push must find (null: the branch must not exist yet). */
  expectedHead: string | null;
  /** Where a branch that does not exist yet starts (a commit id). */
  createBranchFrom?: string;
  /** For a rewrite: the new branch to push to (instead of a fresh random name). */
  rewriteBranch?: string;
  commitDate: Date;
  /** Awaited before the push starts, with the exact commit and branch; throwing stops it. */
  beforePush: (planned: PlannedPush) => Promise<void>;
};

export type PlannedPush = { branch: string; commitSha: string; parentSha: string | null; created: boolean };

export type ToolOutcome = {
  /** One line for the audit log. */
  summary: string;
  /** What the agent receives (as JSON text). */
  data: unknown;
  commitSha?: string;
  branch?: string;
  pullRequest?: number;
};

/** What the policy engine is told about a call (see lib/gateway/call-facts.ts). */
export type ToolFacts = {
  facts: CallFacts;
  baseSha: string | null;
  patch?: string;
  patchTruncated?: boolean;
};

export type ToolDefinition<Schema extends z.ZodObject = z.ZodObject> = {
  name: string;
  description: string;
  kind: 'read' | 'write';
  input: Schema;
  execute: (context: ToolContext, args: z.infer<Schema>) => Promise<ToolOutcome>;
  /**
   * The facts the policy decides on, for tools that own them (the others are described by
   * call-facts.ts). `base` carries the tool, role and moment.
   */
  facts?: (context: ToolContext, args: z.infer<Schema>, base: CallFacts) => Promise<ToolFacts>;
  /** For tools that write files: the same call as push_files arguments (what a rewrite pushes). */
  asPush?: (args: z.infer<Schema>) => {
    branch: string;
    files: { path: string; content: string }[];
    deletions?: string[];
    message: string;
  };
};

export function defineTool<Schema extends z.ZodObject>(tool: ToolDefinition<Schema>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}
