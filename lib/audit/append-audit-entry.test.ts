// Appending to the audit chain on a real PostgreSQL: entries are contiguous and hash-linked per
// room, concurrent writers of one room are serialised, and rooms are independent.
import { describe, expect, it } from 'vitest';
import { db } from '../db';
import { appendAuditEntry, GENESIS_HASH } from './append-audit-entry';
import { createAuditTestRoom, createAuditTestUser, decision } from './test-fixtures';
import { verifyAuditChain } from './verify-audit-chain';

async function roomWithOwner() {
  const owner = await createAuditTestUser('owner');
  const room = await createAuditTestRoom(owner);
  return { owner, room };
}

async function storedChain(roomId: string) {
  return db.auditEntry.findMany({
    where: { roomId },
    orderBy: { seq: 'asc' },
    select: { id: true, seq: true, prevHash: true, hash: true },
  });
}

describe('appendAuditEntry', () => {
  it('chains entries from the genesis hash and verifies intact', async () => {
    const { owner, room } = await roomWithOwner();
    const first = await decision(room.id, owner.id, { arguments: { b: 1, a: { z: [1, 'two', null], y: true } } });
    const second = await decision(room.id, owner.id, { decision: 'block', reason: 'Branch name must match aegis/**' });
    const outcome = await appendAuditEntry({
      roomId: room.id,
      kind: 'outcome',
      userId: owner.id,
      role: 'DEVELOPER',
      tool: 'create_branch',
      arguments: {},
      decision: 'allow',
      callId: first.id,
      status: 'ok',
      result: 'created aegis/x',
      durationMs: 12,
      commitSha: 'ABCDEF1234567890abcdef1234567890abcdef12',
      branch: 'aegis/x',
    });
    expect([first.seq, second.seq, outcome.seq]).toEqual([1, 2, 3]);

    const chain = await storedChain(room.id);
    expect(chain.map((e) => e.prevHash)).toEqual([GENESIS_HASH, first.hash, second.hash]);
    expect(chain.map((e) => e.hash)).toEqual([first.hash, second.hash, outcome.hash]);
    const head = await db.auditChainHead.findUnique({ where: { roomId: room.id } });
    expect(head).toEqual({ roomId: room.id, seq: 3, hash: outcome.hash });
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 3 });
  });

  it('stores text PostgreSQL would otherwise refuse or alter, and still verifies', async () => {
    const { owner, room } = await roomWithOwner();
    await decision(room.id, owner.id, {
      clientName: 'bad\u0000client',
      arguments: { content: 'nul\u0000 and a lone \uD800 surrogate', 'key\u0000': 1.5, nested: [{ é: '🙂' }] },
    });
    const [stored] = await db.auditEntry.findMany({ where: { roomId: room.id }, select: { clientName: true } });
    expect(stored!.clientName).toBe('bad\uFFFDclient');
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 1 });
  });

  it('accepts arguments that are not an object, as agents may send anything', async () => {
    const { owner, room } = await roomWithOwner();
    await decision(room.id, owner.id, { arguments: 'just a string', decision: 'invalid' });
    await decision(room.id, owner.id, { arguments: null, decision: 'invalid' });
    await decision(room.id, owner.id, { arguments: [1, { b: 2, a: 1 }], decision: 'invalid' });
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 3 });
  });

  it('refuses an entry that is not well formed', async () => {
    const { owner, room } = await roomWithOwner();
    await expect(decision(room.id, owner.id, { decision: 'maybe' as never })).rejects.toThrow();
    await expect(
      appendAuditEntry({
        roomId: room.id,
        kind: 'outcome',
        userId: owner.id,
        role: 'OWNER',
        tool: 'push_files',
        arguments: {},
        decision: 'allow',
      }),
    ).rejects.toThrow(/callId/);
    expect(await db.auditEntry.count({ where: { roomId: room.id } })).toBe(0);
  });

  it('gives 30 concurrent appends to one room contiguous seqs and an intact chain', async () => {
    const { owner, room } = await roomWithOwner();
    const appended = await Promise.all(
      Array.from({ length: 30 }, (_, i) => decision(room.id, owner.id, { arguments: { n: i } })),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const chain = await storedChain(room.id);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.prevHash).toBe(chain[i - 1]!.hash);
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 30 });
  });

  it('keeps rooms independent: each has its own chain from seq 1', async () => {
    const { owner, room: a } = await roomWithOwner();
    const b = await createAuditTestRoom(owner);
    await Promise.all([
      ...Array.from({ length: 5 }, () => decision(a.id, owner.id)),
      ...Array.from({ length: 3 }, () => decision(b.id, owner.id)),
    ]);
    expect((await storedChain(a.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await storedChain(b.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await storedChain(b.id))[0]!.prevHash).toBe(GENESIS_HASH);
    expect(await verifyAuditChain(a.id)).toEqual({ intact: true, entries: 5 });
    expect(await verifyAuditChain(b.id)).toEqual({ intact: true, entries: 3 });
  });

  it('serialises writers of one room only: a held room does not hold up another', async () => {
    const { owner, room: a } = await roomWithOwner();
    const b = await createAuditTestRoom(owner);
    await decision(a.id, owner.id);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // Room A's chain head stays locked inside an open transaction until released.
    const holder = db.$transaction(
      async (tx) => {
        await appendAuditEntry(
          {
            roomId: a.id,
            kind: 'decision',
            userId: owner.id,
            role: 'OWNER',
            tool: 't',
            arguments: {},
            decision: 'allow',
          },
          tx,
        );
        locked();
        await held;
      },
      { timeout: 15_000 },
    );
    await isLocked;
    let waitingDone = false;
    const waiting = decision(a.id, owner.id).then((entry) => {
      waitingDone = true;
      return entry;
    });
    const other = await decision(b.id, owner.id);
    expect(other.seq).toBe(1);
    expect(waitingDone).toBe(false);
    release();
    await holder;
    expect((await waiting).seq).toBe(3);
    expect(await verifyAuditChain(a.id)).toEqual({ intact: true, entries: 3 });
  });

  it('rolls the entry back with the transaction it was written in', async () => {
    const { owner, room } = await roomWithOwner();
    await decision(room.id, owner.id);
    await expect(
      db.$transaction(async (tx) => {
        await appendAuditEntry(
          {
            roomId: room.id,
            kind: 'decision',
            userId: owner.id,
            role: 'OWNER',
            tool: 't',
            arguments: {},
            decision: 'allow',
          },
          tx,
        );
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    const next = await decision(room.id, owner.id);
    expect(next.seq).toBe(2);
    expect(await verifyAuditChain(room.id)).toEqual({ intact: true, entries: 2 });
  });
});
