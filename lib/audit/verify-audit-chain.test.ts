// Verifying the audit chain on a real PostgreSQL: any change to a stored entry, its removal or a
// forged addition is found, and reported at that entry.
import { describe, expect, it } from 'vitest';
import { db } from '../db';
import { hashAuditEntry } from './hash-audit-entry';
import { createAuditTestRoom, createAuditTestUser, decision } from './test-fixtures';
import { verifyAuditChain, verifyRoomAuditChain } from './verify-audit-chain';

async function roomWithOwner() {
  const owner = await createAuditTestUser('owner');
  const room = await createAuditTestRoom(owner);
  return { owner, room };
}

describe('verifyAuditChain', () => {
  async function chainOf(count: number) {
    const { owner, room } = await roomWithOwner();
    const entries = [];
    for (let i = 0; i < count; i++) entries.push(await decision(room.id, owner.id, { arguments: { n: i } }));
    return { owner, room, entries };
  }

  it('reports an empty room as intact with no entries', async () => {
    const { room } = await roomWithOwner();
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 0 });
  });

  it('points at exactly the entry whose arguments were changed', async () => {
    const { room, entries } = await chainOf(5);
    await db.$executeRaw`UPDATE "AuditEntry" SET "arguments" = '{"n": 99}'::jsonb WHERE "id" = ${entries[2]!.id}`;
    expect(await verifyAuditChain(room.id)).toEqual({
      intact: false,
      entries: 2,
      brokenAt: { seq: 3, entryId: entries[2]!.id, reason: 'entry #3 was modified (hash mismatch)' },
    });
  });

  it('finds a changed decision even when the key order of the arguments is not touched', async () => {
    const { room, entries } = await chainOf(3);
    await db.$executeRaw`UPDATE "AuditEntry" SET "decision" = 'allow', "ruleId" = NULL WHERE "id" = ${entries[0]!.id}`;
    const result = await verifyAuditChain(room.id);
    expect(result).toMatchObject({ intact: false, brokenAt: { seq: 1, entryId: entries[0]!.id } });
  });

  it('finds a modified entry whose hash was recomputed, at the entry after it', async () => {
    const { room, entries } = await chainOf(4);
    const target = await db.auditEntry.findUniqueOrThrow({ where: { id: entries[1]!.id } });
    const forged = { ...target, tool: 'delete_branch', createdAt: target.createdAt.toISOString() };
    const forgedHash = hashAuditEntry(target.prevHash, forged);
    await db.$executeRaw`UPDATE "AuditEntry" SET "tool" = 'delete_branch', "hash" = ${forgedHash} WHERE "id" = ${target.id}`;
    expect(await verifyAuditChain(room.id)).toMatchObject({
      intact: false,
      entries: 2,
      brokenAt: {
        seq: 3,
        entryId: entries[2]!.id,
        reason: expect.stringMatching(/^entry #3 does not link to entry #2/),
      },
    });
  });

  it('detects a deleted entry in the middle', async () => {
    const { room, entries } = await chainOf(5);
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${entries[2]!.id}`;
    expect(await verifyAuditChain(room.id)).toEqual({
      intact: false,
      entries: 2,
      brokenAt: { seq: 4, entryId: entries[3]!.id, reason: 'entry #4 does not follow #2 (missing entry)' },
    });
  });

  it('detects deleted entries at the end through the chain head', async () => {
    const { room, entries } = await chainOf(4);
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${entries[3]!.id}`;
    expect(await verifyAuditChain(room.id)).toMatchObject({
      intact: false,
      entries: 3,
      brokenAt: { seq: 4, entryId: null, reason: expect.stringContaining('entry #4 is missing') },
    });
  });

  it('detects a deleted first entry', async () => {
    const { room, entries } = await chainOf(3);
    await db.$executeRaw`DELETE FROM "AuditEntry" WHERE "id" = ${entries[0]!.id}`;
    expect(await verifyAuditChain(room.id)).toMatchObject({
      intact: false,
      entries: 0,
      brokenAt: { seq: 2, entryId: entries[1]!.id },
    });
  });

  it('detects an entry inserted without going through the chain head', async () => {
    const { owner, room, entries } = await chainOf(2);
    const last = entries[1]!;
    const createdAt = new Date();
    const fields = {
      id: 'forged-entry',
      roomId: room.id,
      seq: 3,
      kind: 'decision',
      createdAt: createdAt.toISOString(),
      userId: owner.id,
      role: 'OWNER',
      sessionId: null,
      clientName: null,
      tool: 'merge_pull_request',
      arguments: {},
      decision: 'allow',
      ruleId: null,
      reason: null,
      policyVersion: null,
      blastRadius: null,
      callId: null,
      status: null,
      result: null,
      error: null,
      durationMs: null,
      commitSha: null,
      branch: null,
      pullRequest: null,
    };
    await db.auditEntry.create({
      data: { ...fields, role: 'OWNER', createdAt, prevHash: last.hash, hash: hashAuditEntry(last.hash, fields) },
    });
    expect(await verifyAuditChain(room.id)).toEqual({
      intact: false,
      entries: 3,
      brokenAt: { seq: 3, entryId: 'forged-entry', reason: 'entry #3 was added outside the chain' },
    });
  });

  it('walks a chain longer than one batch', async () => {
    const { owner, room } = await roomWithOwner();
    for (let i = 0; i < 26; i++) {
      await Promise.all(Array.from({ length: 25 }, () => decision(room.id, owner.id)));
    }
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 650 });
  }, 60_000);

  it('verifies only for members of the room', async () => {
    const { owner, room } = await roomWithOwner();
    await decision(room.id, owner.id);
    const stranger = await createAuditTestUser('stranger');
    expect(await verifyRoomAuditChain(owner.id, room.id)).toEqual({ intact: true, entries: 1 });
    await expect(verifyRoomAuditChain(stranger.id, room.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
