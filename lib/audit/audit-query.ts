// What the audit log list and its export share: the user's scope (the rooms they are a member of,
// any role), the filters turned into a query, and one page of decision entries newest first, each
// joined with its outcome and the names of its room and acting user.
import { db } from '../db';
import { notFound } from '../errors';
import type { Prisma } from '../generated/prisma/client';
import { encodeAuditCursor, type AuditFilters } from './schemas';

export const auditEntrySelect = {
  id: true,
  roomId: true,
  seq: true,
  kind: true,
  prevHash: true,
  hash: true,
  createdAt: true,
  userId: true,
  role: true,
  sessionId: true,
  clientName: true,
  tool: true,
  arguments: true,
  decision: true,
  ruleId: true,
  reason: true,
  policyVersion: true,
  blastRadius: true,
  callId: true,
  status: true,
  result: true,
  error: true,
  durationMs: true,
  commitSha: true,
  branch: true,
  pullRequest: true,
} as const satisfies Prisma.AuditEntrySelect;

export type AuditEntryRecord = Prisma.AuditEntryGetPayload<{ select: typeof auditEntrySelect }>;

// The list leaves out the arguments (a push's can be large); the export and the detail read them.
const auditEntrySummarySelect = { ...auditEntrySelect, arguments: false } as const;
export type AuditEntrySummary = Omit<AuditEntryRecord, 'arguments'>;

const outcomeSelect = {
  id: true,
  seq: true,
  callId: true,
  createdAt: true,
  status: true,
  result: true,
  error: true,
  durationMs: true,
  commitSha: true,
  branch: true,
  pullRequest: true,
} as const satisfies Prisma.AuditEntrySelect;

export type AuditOutcome = Prisma.AuditEntryGetPayload<{ select: typeof outcomeSelect }>;

export type AuditActor = { id: string; name: string | null; email: string | null };

export type AuditScope = { rooms: Map<string, string>; where: Prisma.AuditEntryWhereInput };

/** The rooms the user may read the audit of: every room they are a member of, archived ones included. */
export async function myAuditRooms(userId: string): Promise<Map<string, string>> {
  const memberships = await db.member.findMany({
    where: { userId },
    orderBy: { room: { name: 'asc' } },
    select: { room: { select: { id: true, name: true } } },
  });
  return new Map(memberships.map(({ room }) => [room.id, room.name]));
}

/** Scopes the (parsed) filters to the user's rooms; a room filter outside them is not found. */
export async function auditScope(userId: string, filters: AuditFilters): Promise<AuditScope> {
  const rooms = await myAuditRooms(userId);
  if (filters.room && !rooms.has(filters.room)) throw notFound('Room not found');

  let actingUser: Prisma.AuditEntryWhereInput['userId'] = filters.user;
  if (filters.user?.includes('@')) {
    const user = await db.user.findUnique({ where: { email: filters.user.toLowerCase() }, select: { id: true } });
    actingUser = { in: user ? [user.id] : [] };
  }
  const where: Prisma.AuditEntryWhereInput = {
    kind: 'decision',
    roomId: filters.room ?? { in: [...rooms.keys()] },
    userId: actingUser,
    tool: filters.tool,
    decision: filters.decision,
    createdAt: filters.from || filters.to ? { gte: filters.from, lte: filters.to } : undefined,
  };
  return { rooms, where };
}

/** One page of decision entries, newest first, after `cursor`. */
export function findDecisionPage(
  scope: AuditScope,
  cursor: AuditFilters['cursor'],
  take: number,
  options: { withArguments: true },
): Promise<{ rows: AuditEntryRecord[]; nextCursor: string | null }>;
export function findDecisionPage(
  scope: AuditScope,
  cursor: AuditFilters['cursor'],
  take: number,
  options?: { withArguments?: false },
): Promise<{ rows: AuditEntrySummary[]; nextCursor: string | null }>;
export async function findDecisionPage(
  scope: AuditScope,
  cursor: AuditFilters['cursor'],
  take: number,
  options: { withArguments?: boolean } = {},
): Promise<{ rows: AuditEntrySummary[]; nextCursor: string | null }> {
  const where: Prisma.AuditEntryWhereInput = cursor
    ? {
        AND: [
          scope.where,
          {
            OR: [
              { createdAt: { lt: cursor.createdAt } },
              { createdAt: cursor.createdAt, roomId: { lt: cursor.roomId } },
              { createdAt: cursor.createdAt, roomId: cursor.roomId, seq: { lt: cursor.seq } },
            ],
          },
        ],
      }
    : scope.where;
  const rows = await db.auditEntry.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { roomId: 'desc' }, { seq: 'desc' }],
    take: take + 1,
    select: options.withArguments ? auditEntrySelect : auditEntrySummarySelect,
  });
  const more = rows.length > take;
  const page = more ? rows.slice(0, take) : rows;
  const last = page.at(-1);
  return { rows: page, nextCursor: more && last ? encodeAuditCursor(last) : null };
}

/** The latest outcome of each call (a call that waited for approval has a pending one first). */
export async function latestOutcomes(decisions: { id: string; roomId: string }[]): Promise<Map<string, AuditOutcome>> {
  if (decisions.length === 0) return new Map();
  const outcomes = await db.auditEntry.findMany({
    // The room check keeps an entry of another room from claiming to complete this one's call.
    where: {
      kind: 'outcome',
      callId: { in: decisions.map((d) => d.id) },
      roomId: { in: [...new Set(decisions.map((d) => d.roomId))] },
    },
    orderBy: { seq: 'asc' },
    select: { ...outcomeSelect, roomId: true },
  });
  const rooms = new Map(decisions.map((d) => [d.id, d.roomId]));
  const byCall = new Map<string, AuditOutcome>();
  for (const { roomId, ...outcome } of outcomes) {
    if (outcome.callId && rooms.get(outcome.callId) === roomId) byCall.set(outcome.callId, outcome);
  }
  return byCall;
}

export async function actorsById(userIds: string[]): Promise<Map<string, AuditActor>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({
    where: { id: { in: unique } },
    select: { id: true, name: true, email: true },
  });
  const known = new Map(users.map((u) => [u.id, u]));
  // A user deleted since keeps their ID in the log; only the name is gone.
  return new Map(unique.map((id) => [id, known.get(id) ?? { id, name: null, email: null }]));
}
