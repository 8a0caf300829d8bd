// Reading the audit log as a user: only entries of rooms the user is a member of (any role), so an
// entry anywhere else is simply "not found".
import { db } from '../db';
import { notFound } from '../errors';
import {
  actorsById,
  auditEntrySelect,
  auditScope,
  findDecisionPage,
  latestOutcomes,
  myAuditRooms,
  type AuditActor,
  type AuditEntryRecord,
  type AuditEntrySummary,
  type AuditOutcome,
} from './audit-query';
import { auditFiltersSchema, type AuditDecision, type AuditFilters, type AuditFiltersInput } from './schemas';

export type { AuditActor, AuditEntryRecord, AuditEntrySummary, AuditOutcome } from './audit-query';

export const AUDIT_PAGE_SIZE = 50;

/** One call in the log: its decision entry, its room and acting user, and its latest outcome if any. */
export type AuditLogItem = AuditEntrySummary & { roomName: string; actor: AuditActor; outcome: AuditOutcome | null };

export type AuditLogPage = { entries: AuditLogItem[]; nextCursor: string | null; filters: AuditFilters };

/**
 * Decision entries of the user's rooms, newest first, filtered and paginated by cursor. Throws
 * invalid input for bad filters, and not found for a room filter naming a room the user is not in.
 */
export async function listAuditEntries(
  userId: string,
  input: AuditFiltersInput,
  options: { pageSize?: number } = {},
): Promise<AuditLogPage> {
  const filters = auditFiltersSchema.parse(input);
  const scope = await auditScope(userId, filters);
  const { rows, nextCursor } = await findDecisionPage(scope, filters.cursor, options.pageSize ?? AUDIT_PAGE_SIZE);
  const [outcomes, actors] = await Promise.all([latestOutcomes(rows), actorsById(rows.map((r) => r.userId))]);
  const entries = rows.map((row) => ({
    ...row,
    roomName: scope.rooms.get(row.roomId) ?? row.roomId,
    actor: actors.get(row.userId)!,
    outcome: outcomes.get(row.id) ?? null,
  }));
  return { entries, nextCursor, filters };
}

/** The rooms and people the filter form offers: the user's rooms, and the members of those rooms. */
export async function listAuditFilterOptions(userId: string) {
  const rooms = await myAuditRooms(userId);
  const members = await db.member.findMany({
    where: { roomId: { in: [...rooms.keys()] } },
    distinct: ['userId'],
    orderBy: { userId: 'asc' },
    select: { user: { select: { id: true, name: true, email: true } } },
    take: 500,
  });
  return {
    rooms: [...rooms].map(([id, name]) => ({ id, name })),
    users: members.map((m) => m.user).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export type AuditEntryDetail = {
  /** The decision entry of the call. */
  entry: AuditEntryRecord;
  /** Its outcome entries in order (a call held for approval has a pending one first); the last is the latest. */
  outcomes: AuditEntryRecord[];
  room: { id: string; name: string };
  actor: AuditActor;
};

/**
 * One call in full. `entryId` may name the decision entry or one of its outcome entries; either way
 * the call is returned. Not found unless the user is a member of the entry's room.
 */
export async function getAuditEntry(userId: string, entryId: string): Promise<AuditEntryDetail> {
  const found = await db.auditEntry.findUnique({ where: { id: entryId }, select: auditEntrySelect });
  if (!found) throw notFound('Audit entry not found');
  const membership = await db.member.findUnique({
    where: { roomId_userId: { roomId: found.roomId, userId } },
    select: { room: { select: { id: true, name: true } } },
  });
  if (!membership) throw notFound('Audit entry not found');

  const entry =
    found.kind === 'outcome' && found.callId
      ? ((await db.auditEntry.findFirst({
          where: { id: found.callId, roomId: found.roomId, kind: 'decision' },
          select: auditEntrySelect,
        })) ?? found)
      : found;
  const outcomes =
    entry.kind === 'decision'
      ? await db.auditEntry.findMany({
          where: { kind: 'outcome', callId: entry.id, roomId: entry.roomId },
          orderBy: { seq: 'asc' },
          select: auditEntrySelect,
        })
      : [];
  const actors = await actorsById([entry.userId]);
  return { entry, outcomes, room: membership.room, actor: actors.get(entry.userId)! };
}

export type SessionCall = AuditEntryRecord & { outcome: AuditOutcome | null };

export type SessionCalls = {
  calls: SessionCall[];
  /** Counts over the whole session, not only this page. */
  counts: Partial<Record<AuditDecision, number>>;
  total: number;
  /** Pass as `afterSeq` for the next page; null on the last one. */
  nextAfterSeq: number | null;
};

/**
 * A session's calls in the order they were made, with its counts by decision — the story of what
 * one agent connection did. Empty unless the user is a member of the session's room.
 */
export async function listSessionCalls(
  userId: string,
  sessionId: string,
  options: { afterSeq?: number; limit?: number } = {},
): Promise<SessionCalls> {
  const limit = Math.min(Math.max(options.limit ?? 200, 1), 1000);
  const rooms = await myAuditRooms(userId);
  const where = { kind: 'decision', sessionId, roomId: { in: [...rooms.keys()] } };
  const [rows, groups] = await Promise.all([
    db.auditEntry.findMany({
      where: options.afterSeq === undefined ? where : { ...where, seq: { gt: options.afterSeq } },
      // A session lives in one room, whose seq is the order its calls were made in.
      orderBy: [{ seq: 'asc' }],
      take: limit + 1,
      select: auditEntrySelect,
    }),
    db.auditEntry.groupBy({ by: ['decision'], where, _count: { _all: true } }),
  ]);
  const page = rows.slice(0, limit);
  const outcomes = await latestOutcomes(page);
  const counts: Partial<Record<AuditDecision, number>> = {};
  for (const group of groups) counts[group.decision as AuditDecision] = group._count._all;
  return {
    calls: page.map((row) => ({ ...row, outcome: outcomes.get(row.id) ?? null })),
    counts,
    total: groups.reduce((sum, group) => sum + group._count._all, 0),
    nextAfterSeq: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
  };
}
