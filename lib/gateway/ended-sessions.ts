// Sessions that ended recently, and why: an agent that sends another message is told the reason
// ("the access token was rotated") instead of "unknown session". Bounded in time and size.
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

export type EndedSession = { reason: string; userId: string; messageKeyDigest?: Buffer; at: number };

const ENDED_MEMORY_MS = 10 * 60_000;
const ENDED_MEMORY_MAX = 10_000;

const state = globalThis as unknown as { aegisEndedSessions?: Map<string, EndedSession> };
const ended = (state.aegisEndedSessions ??= new Map());

export function rememberEndedSession(id: string, gone: Omit<EndedSession, 'at'>) {
  if (ended.size >= ENDED_MEMORY_MAX) ended.clear();
  ended.set(id, { ...gone, at: Date.now() });
}

export function endedSession(id: string): EndedSession | undefined {
  const gone = ended.get(id);
  if (gone && Date.now() - gone.at < ENDED_MEMORY_MS) return gone;
  if (gone) ended.delete(id);
  return undefined;
}

/** The JSON-RPC error code of a request cut short by the end of its session. */
export const SESSION_ENDED_CODE = -32001;

/** The answer to a request still in flight when its session ended (it would otherwise get none). */
export function sessionEndedError(requestId: RequestId, reason: string): JSONRPCMessage {
  return {
    jsonrpc: '2.0',
    id: requestId,
    error: {
      code: SESSION_ENDED_CODE,
      message: `session_ended: This session ended (${reason}) before this call was answered; the room's audit log records whether it ran`,
    },
  };
}
