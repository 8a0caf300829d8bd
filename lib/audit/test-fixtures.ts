// Test data for the audit tests: users and rooms with random identities, inserted directly (a real
// room needs git; the audit log does not).
import { randomBytes } from 'node:crypto';
import { db } from '../db';
import { createUser } from '../users/create-user';
import type { Role } from '../generated/prisma/enums';
import { appendAuditEntry, type AuditEntryInput } from './append-audit-entry';

const tag = () => randomBytes(5).toString('hex');

export async function createAuditTestUser(prefix = 'user') {
  const id = tag();
  return createUser({
    name: `${prefix} ${id}`,
    email: `${prefix}-${id}@example.test`,
    password: `pw-${tag()}${tag()}`,
  });
}

export async function createAuditTestRoom(owner: { id: string }, name = `room-${tag()}`) {
  return db.room.create({
    data: {
      name,
      repositoryKind: 'git',
      repositoryLocation: `/tmp/nowhere-${tag()}.git`,
      defaultBranch: 'main',
      protectedBranches: [],
      createdById: owner.id,
      members: { create: { userId: owner.id, role: 'OWNER' } },
    },
    select: { id: true, name: true },
  });
}

export async function addAuditTestMember(roomId: string, userId: string, role: Role = 'DEVELOPER') {
  await db.member.create({ data: { roomId, userId, role } });
}

/** A decision entry with sensible defaults. */
export function decision(
  roomId: string,
  userId: string,
  overrides: Partial<AuditEntryInput> = {},
): Promise<Awaited<ReturnType<typeof appendAuditEntry>>> {
  return appendAuditEntry({
    roomId,
    kind: 'decision',
    userId,
    role: 'DEVELOPER',
    sessionId: null,
    clientName: 'claude-code',
    tool: 'create_branch',
    arguments: { branch: `aegis/${tag()}`, from: 'main' },
    decision: 'allow',
    ruleId: 'read-tools',
    ...overrides,
  });
}
