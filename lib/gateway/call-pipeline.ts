// What every tool call goes through: authenticate → validate → decide → audit (durable before
// anything runs) → execute → record the outcome. Any internal failure fails closed: nothing
// executes and the agent gets a clear error, never a stack trace.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ZodError } from 'zod';
import { appendAuditEntries, appendAuditEntry, type AuditEntryInput } from '../audit/append-audit-entry';
import { approvalReply } from '../approvals/approval-result';
import { createApproval } from '../approvals/create-approval';
import { waitForApproval } from '../approvals/wait-for-approval';
import { config } from '../config';
import { isAppError } from '../errors';
import { auditArguments } from './audit-arguments';
import { decideCall, type GatewayDecision } from './decide';
import { executeCall } from './execute-call';
import { assertRoomRepository } from './tools/repository-args';
import { findTool } from './tools/registry';
import type { ToolContext, ToolDefinition } from './tools/tool-types';
import type { AgentIdentity } from './authenticate-agent';
import { roomFacts } from './room-facts';

export type CallSession = {
  sessionId: string;
  clientName?: string;
  baseUrl: string;
  author: { name: string; email: string };
  /** Re-checks the session's credentials; throws the AppError that ends the session. */
  authenticate: () => Promise<AgentIdentity>;
};

/** An MCP-level failure (unknown tool, lost authentication): a JSON-RPC error, not a tool result. */
export class ProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly endsSession = false,
  ) {
    super(message);
  }
}

export const textResult = (data: unknown, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: typeof data === 'string' ? data : JSON.stringify(data, null, 2) }],
  ...(isError ? { isError: true } : {}),
});

export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

export type ProgressReporter = (progress: number, total: number, message: string) => Promise<void>;
type AuditArgs = Record<string, unknown>;
type AuditBase = Omit<AuditEntryInput, 'kind' | 'arguments' | 'decision'>;
type OutcomeFields = {
  status: 'ok' | 'error';
  result?: string;
  error?: string;
  commitSha?: string;
  branch?: string;
  pullRequest?: number;
};

export async function runToolCall(
  session: CallSession,
  name: string,
  rawArgs: unknown,
  progress?: ProgressReporter,
): Promise<CallToolResult> {
  let identity: AgentIdentity;
  try {
    identity = await session.authenticate();
  } catch (error) {
    if (isAppError(error)) throw new ProtocolError(-32001, `${error.code}: ${error.message}`, true);
    throw failClosed(error);
  }

  const base = {
    roomId: identity.roomId,
    userId: identity.userId,
    role: identity.role,
    sessionId: session.sessionId,
    clientName: session.clientName,
    tool: name.slice(0, 200),
  };
  const refuse = (reason: string) => auditRefusal(base, rawArgs, reason);

  const tool = findTool(name);
  if (!tool) {
    await refuse('unknown tool');
    throw new ProtocolError(-32602, `Unknown tool: ${name}`);
  }

  const parsed = tool.input.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const reason = `Invalid arguments: ${describeZodError(parsed.error)}`;
    await refuse(reason);
    return textResult(reason, true);
  }

  let context: ToolContext;
  try {
    const room = await roomFacts(identity.roomId);
    context = {
      room,
      userId: identity.userId,
      role: identity.role,
      author: session.author,
      sessionId: session.sessionId,
      baseUrl: session.baseUrl,
      progress,
    };
    assertRoomRepository(room, parsed.data as { owner?: string; repo?: string });
  } catch (error) {
    if (!isAppError(error)) throw failClosed(error);
    await refuse(error.message);
    return textResult(error.message, true);
  }

  return decideAndExecute(session, context, tool, parsed.data as Record<string, unknown>, base, progress);
}

async function decideAndExecute(
  session: CallSession,
  context: ToolContext,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  base: AuditBase,
  progress?: ProgressReporter,
): Promise<CallToolResult> {
  let decision: GatewayDecision;
  try {
    decision = await decideCall(context, tool.name, args);
  } catch (error) {
    if (!isAppError(error)) throw failClosed(error);
    // The facts could not be gathered because of the arguments (unknown pull request, a file to
    // delete that does not exist...): refused like any invalid input.
    await auditRefusal(base, args, error.message);
    return textResult(error.message, true);
  }

  const decisionEntry: AuditEntryInput = {
    ...base,
    id: randomUUID(),
    kind: 'decision',
    arguments: auditArguments(args) as AuditArgs,
    decision: decision.effect,
    ruleId: decision.ruleId,
    reason: decision.reason,
    blastRadius: decision.blastRadius,
    policyVersion: decision.policyVersion,
  };
  // An allowed read changes nothing: it runs first, and its decision and outcome are written
  // together (one commit instead of two) before the agent sees anything it read.
  if (tool.kind === 'read' && decision.effect === 'allow') return readThenAudit(context, tool, args, decisionEntry);

  try {
    await appendAuditEntry(decisionEntry);
  } catch (error) {
    // The decision could not be made durable: nothing runs.
    throw failClosed(error);
  }

  if (decision.effect === 'block')
    return textResult(decision.message ?? `Blocked by the room policy (${decision.ruleName}).`, true);

  if (decision.effect === 'require_approval') {
    const approval = await createApproval({
      context,
      clientName: session.clientName,
      tool: tool.name,
      args,
      decision,
      decisionEntryId: decisionEntry.id!,
    }).catch((error) => {
      throw failClosed(error);
    });
    return holdForApproval(approval.id, progress).catch((error) => {
      throw failClosed(error);
    });
  }

  const started = performance.now();
  const recordOutcome = (fields: OutcomeFields) =>
    appendAuditEntry(outcomeEntry(decisionEntry, started, fields)).catch((error) =>
      console.error('[aegis] could not record a call outcome', error),
    );

  try {
    const outcome = await executeCall(
      { ...context, decidedOn: decision.gathered.baseSha },
      tool,
      args,
      decision.effect,
    );
    await recordOutcome({
      status: 'ok',
      result: outcome.summary,
      commitSha: outcome.commitSha,
      branch: outcome.branch,
      pullRequest: outcome.pullRequest,
    });
    return textResult(outcome.data);
  } catch (error) {
    const message = isAppError(error) ? error.message : internalMessage(error);
    await recordOutcome({ status: 'error', error: message });
    return textResult(message, true);
  }
}

function outcomeEntry(decisionEntry: AuditEntryInput, started: number, fields: OutcomeFields): AuditEntryInput {
  const { roomId, userId, role, sessionId, clientName, tool, decision } = decisionEntry;
  return {
    ...{ roomId, userId, role, sessionId, clientName, tool, decision },
    kind: 'outcome',
    arguments: {},
    callId: decisionEntry.id!,
    durationMs: Math.round(performance.now() - started),
    ...fields,
  };
}

/**
 * An allowed read: executed, then its decision and outcome written in one commit. If they cannot
 * be written, the agent gets the fail-closed error and none of what was read.
 */
async function readThenAudit(
  context: ToolContext,
  tool: ToolDefinition,
  args: Record<string, unknown>,
  decisionEntry: AuditEntryInput,
): Promise<CallToolResult> {
  const started = performance.now();
  let reply: CallToolResult;
  let fields: OutcomeFields;
  try {
    const outcome = await executeCall(context, tool, args, 'allow');
    reply = textResult(outcome.data);
    fields = { status: 'ok', result: outcome.summary };
  } catch (error) {
    const message = isAppError(error) ? error.message : internalMessage(error);
    reply = textResult(message, true);
    fields = { status: 'error', error: message };
  }
  try {
    await appendAuditEntries([decisionEntry, outcomeEntry(decisionEntry, started, fields)]);
  } catch (error) {
    throw failClosed(error);
  }
  return reply;
}

/** Holds the call while reviewers decide, up to the configured wait. */
export async function holdForApproval(approvalId: string, progress?: ProgressReporter): Promise<CallToolResult> {
  const waitMs = config().AEGIS_APPROVAL_WAIT_SECONDS * 1000;
  const approval = await waitForApproval(approvalId, {
    timeoutMs: waitMs,
    onProgress: progress
      ? (elapsed) => progress(elapsed, waitMs, 'Waiting for a reviewer to approve this action')
      : undefined,
  });
  const reply = await approvalReply(approval);
  return textResult(reply.data, reply.isError);
}

/**
 * A refused call (unknown tool, bad arguments) is audited like any other; if even that cannot be
 * written, the agent gets the fail-closed error rather than the database's.
 */
async function auditRefusal(base: AuditBase, args: unknown, reason: string): Promise<void> {
  try {
    await appendAuditEntry({
      ...base,
      kind: 'decision',
      arguments: auditArguments(args ?? {}) as AuditArgs,
      decision: 'invalid',
      reason,
    });
  } catch (error) {
    throw failClosed(error);
  }
}

function internalMessage(error: unknown): string {
  const requestId = randomUUID();
  console.error(`[aegis] internal error ${requestId}`, error);
  return `Aegis hit an internal error (request ${requestId}); nothing further was done.`;
}

function failClosed(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  return new ProtocolError(-32603, `${internalMessage(error)} The call was not executed.`);
}
