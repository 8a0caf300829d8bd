// Reading the audit log: a user sees the decision entries of their rooms only, newest first, each
// with its outcome; filters and cursor pagination work; a session's calls come back in order.
import { describe, expect, it } from 'vitest';
import { appendAuditEntry } from './append-audit-entry';
import { getAuditEntry, listAuditEntries, listSessionCalls } from './list-audit-entries';
import { addAuditTestMember, createAuditTestRoom, createAuditTestUser, decision } from './test-fixtures';

async function outcomeOf(call: { id: string }, roomId: string, userId: string, status: 'ok' | 'pending' = 'ok') {
  return appendAuditEntry({
    roomId,
    kind: 'outcome',
    userId,
    role: 'DEVELOPER',
    tool: 'push_files',
    arguments: {},
    decision: 'allow',
    callId: call.id,
    status,
    result: status === 'ok' ? 'pushed 2 files' : 'waiting for approval',
    durationMs: 42,
    commitSha: status === 'ok' ? '0123456789abcdef0123456789abcdef01234567' : null,
  });
}

describe('listAuditEntries', () => {
  it('lists decisions of my rooms only, newest first, joined with their latest outcome', async () => {
    const me = await createAuditTestUser('me');
    const other = await createAuditTestUser('other');
    const mine = await createAuditTestRoom(me);
    const theirs = await createAuditTestRoom(other);
    await addAuditTestMember(mine.id, other.id, 'DEVELOPER');

    const first = await decision(mine.id, me.id, { tool: 'push_files' });
    await outcomeOf(first, mine.id, me.id, 'pending');
    await outcomeOf(first, mine.id, me.id, 'ok');
    const second = await decision(mine.id, other.id, { tool: 'merge_pull_request', decision: 'block' });
    await decision(theirs.id, other.id, { tool: 'push_files' });

    const page = await listAuditEntries(me.id, {});
    expect(page.entries.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(page.nextCursor).toBeNull();
    const [blocked, pushed] = page.entries;
    expect(blocked).toMatchObject({ roomName: mine.name, decision: 'block', outcome: null, actor: { id: other.id } });
    expect(pushed!.outcome).toMatchObject({ status: 'ok', durationMs: 42, commitSha: expect.stringMatching(/^0123/) });
    expect(pushed).not.toHaveProperty('arguments');

    // The other user sees both rooms' calls.
    expect((await listAuditEntries(other.id, {})).entries).toHaveLength(3);
  });

  it('filters by room, acting user (ID or email), tool, decision and time', async () => {
    const me = await createAuditTestUser('me');
    const colleague = await createAuditTestUser('colleague');
    const a = await createAuditTestRoom(me);
    const b = await createAuditTestRoom(me);
    await addAuditTestMember(a.id, colleague.id);
    const before = new Date();
    const inA = await decision(a.id, me.id, { tool: 'create_branch' });
    const byColleague = await decision(a.id, colleague.id, { tool: 'push_files', decision: 'require_approval' });
    const inB = await decision(b.id, me.id, { tool: 'push_files', decision: 'rewrite' });

    const ids = async (filters: Record<string, string>) =>
      (await listAuditEntries(me.id, filters)).entries.map((e) => e.id);
    expect(await ids({ room: a.id })).toEqual([byColleague.id, inA.id]);
    expect(await ids({ user: colleague.id })).toEqual([byColleague.id]);
    expect(await ids({ user: colleague.email.toUpperCase() })).toEqual([byColleague.id]);
    expect(await ids({ user: 'nobody@example.test' })).toEqual([]);
    // (Entries of different rooms written in the same millisecond have no meaningful order.)
    expect((await ids({ tool: 'push_files' })).sort()).toEqual([inB.id, byColleague.id].sort());
    expect(await ids({ decision: 'rewrite' })).toEqual([inB.id]);
    expect(await ids({ room: '', tool: '', decision: '', from: before.toISOString() })).toHaveLength(3);
    expect(await ids({ to: new Date(before.getTime() - 60_000).toISOString() })).toEqual([]);
    // A datetime-local value (no zone) reads as UTC.
    expect(await ids({ from: before.toISOString().slice(0, 16) })).toHaveLength(3);
  });

  it('refuses bad filters and rooms I am not a member of', async () => {
    const me = await createAuditTestUser('me');
    const stranger = await createAuditTestUser('stranger');
    const theirs = await createAuditTestRoom(stranger);
    await expect(listAuditEntries(me.id, { room: theirs.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listAuditEntries(me.id, { decision: 'maybe' })).rejects.toThrow(/Choose one of/);
    await expect(listAuditEntries(me.id, { from: 'yesterday' })).rejects.toThrow(/date and time/);
    await expect(listAuditEntries(me.id, { cursor: 'garbage' })).rejects.toThrow(/Invalid cursor/);
  });

  it('paginates newest first with a cursor, without gaps or repeats', async () => {
    const me = await createAuditTestUser('me');
    const room = await createAuditTestRoom(me);
    const appended = await Promise.all(Array.from({ length: 7 }, () => decision(room.id, me.id)));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEntries(me.id, { room: room.id, cursor }, { pageSize: 3 });
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    // Newest first: within one room that is seq order, even for entries written in one group commit.
    expect(seen).toEqual(appended.sort((x, y) => y.seq - x.seq).map((e) => e.id));
  });
});

describe('getAuditEntry', () => {
  it('returns the call with its outcomes and room, from either entry, to members only', async () => {
    const me = await createAuditTestUser('me');
    const stranger = await createAuditTestUser('stranger');
    const room = await createAuditTestRoom(me);
    const call = await decision(room.id, me.id, { tool: 'push_files', arguments: { branch: 'aegis/x', files: [] } });
    const done = await outcomeOf(call, room.id, me.id);

    const detail = await getAuditEntry(me.id, call.id);
    expect(detail.entry).toMatchObject({ id: call.id, hash: call.hash, arguments: { branch: 'aegis/x', files: [] } });
    expect(detail.outcomes.map((o) => o.id)).toEqual([done.id]);
    expect(detail.room).toEqual({ id: room.id, name: room.name });
    expect(detail.actor.email).toBe(me.email);
    expect((await getAuditEntry(me.id, done.id)).entry.id).toBe(call.id);

    await expect(getAuditEntry(stranger.id, call.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(getAuditEntry(me.id, 'no-such-entry')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('listSessionCalls', () => {
  it("returns a session's calls in order with counts by decision", async () => {
    const me = await createAuditTestUser('me');
    const stranger = await createAuditTestUser('stranger');
    const room = await createAuditTestRoom(me);
    const sessionId = `session-${Math.random().toString(36).slice(2)}`;
    const calls = [];
    for (const d of ['allow', 'block', 'allow', 'require_approval'] as const) {
      calls.push(await decision(room.id, me.id, { sessionId, decision: d }));
    }
    await decision(room.id, me.id, { sessionId: 'another-session' });
    await outcomeOf(calls[0]!, room.id, me.id);

    const result = await listSessionCalls(me.id, sessionId);
    expect(result.calls.map((c) => c.id)).toEqual(calls.map((c) => c.id));
    expect(result.calls[0]!.outcome?.status).toBe('ok');
    expect(result.counts).toEqual({ allow: 2, block: 1, require_approval: 1 });
    expect(result.total).toBe(4);
    expect(result.nextAfterSeq).toBeNull();

    const firstPage = await listSessionCalls(me.id, sessionId, { limit: 3 });
    expect(firstPage.calls).toHaveLength(3);
    const rest = await listSessionCalls(me.id, sessionId, { afterSeq: firstPage.nextAfterSeq! });
    expect(rest.calls.map((c) => c.id)).toEqual([calls[3]!.id]);

    expect(await listSessionCalls(stranger.id, sessionId)).toMatchObject({ calls: [], total: 0 });
  });
});
