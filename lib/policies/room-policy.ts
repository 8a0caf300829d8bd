// A room's policy: versioned documents (every save is a new version), the current one cached per
// instance and dropped on `policy.changed` from any instance. A room that has never saved one
// runs the default policy as version 0.
import { db } from '../db';
import { publish, subscribe, type AegisEvent } from '../events/event-bus';
import { Prisma } from '../generated/prisma/client';
import { defaultPolicy, validatePolicy, type PolicyDocument } from '../policy';
import { assertCan } from '../rooms/permissions';
import { getRoomForUser } from '../rooms/get-room';
import { conflict } from '../errors';

export type RoomPolicy = {
  version: number;
  document: PolicyDocument;
  createdAt: Date | null;
  createdById: string | null;
};

const CACHE_MS = 60_000;
const state = globalThis as unknown as {
  aegisPolicies?: Map<string, { value: RoomPolicy; expires: number }>;
  aegisPoliciesSubscribed?: Promise<unknown>;
};
const policies = (state.aegisPolicies ??= new Map());

function onEvent(event: AegisEvent) {
  if (event.type === 'policy.changed') policies.delete(event.roomId);
  else if (event.type === 'bus.reset') policies.clear();
}

/** The room's current policy (no access check: the gateway has authenticated the caller). */
export async function currentRoomPolicy(roomId: string): Promise<RoomPolicy> {
  await (state.aegisPoliciesSubscribed ??= subscribe(onEvent));
  const hit = policies.get(roomId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const latest = await db.policyVersion.findFirst({
    where: { roomId },
    orderBy: { version: 'desc' },
    select: { version: true, document: true, createdAt: true, createdById: true },
  });
  const value: RoomPolicy = latest
    ? { ...latest, document: validatePolicy(latest.document) }
    : { version: 0, document: defaultPolicy(), createdAt: null, createdById: null };
  policies.set(roomId, { value, expires: Date.now() + CACHE_MS });
  return value;
}

/** The room's current policy for a member (any role may read it). */
export async function getRoomPolicy(actorId: string, roomId: string): Promise<RoomPolicy> {
  await getRoomForUser(actorId, roomId);
  return currentRoomPolicy(roomId);
}

/**
 * Saves a new version (ADMIN/OWNER). `basedOnVersion` is the version the editor started from: a
 * save over someone else's newer version is refused rather than silently overwriting it.
 */
export async function saveRoomPolicy(
  actorId: string,
  roomId: string,
  document: unknown,
  basedOnVersion?: number,
): Promise<RoomPolicy> {
  const room = await getRoomForUser(actorId, roomId);
  assertCan(room.myRole, 'policy.edit');
  const validated = validatePolicy(document);
  try {
    const saved = await db.$transaction(async (tx) => {
      const last = await tx.policyVersion.aggregate({ where: { roomId }, _max: { version: true } });
      const current = last._max.version ?? 0;
      if (basedOnVersion !== undefined && basedOnVersion !== current) {
        throw conflict(`The policy changed meanwhile (now version ${current}); reload and apply your edits again`);
      }
      const created = await tx.policyVersion.create({
        data: {
          roomId,
          version: current + 1,
          document: validated as unknown as Prisma.InputJsonValue,
          createdById: actorId,
        },
        select: { version: true, createdAt: true, createdById: true },
      });
      await publish({ type: 'policy.changed', roomId }, tx);
      return created;
    });
    return { ...saved, document: validated };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('Someone saved the policy at the same moment; reload and try again');
    }
    throw error;
  }
}

export async function listPolicyVersions(actorId: string, roomId: string) {
  await getRoomForUser(actorId, roomId);
  return db.policyVersion.findMany({
    where: { roomId },
    orderBy: { version: 'desc' },
    take: 50,
    select: { version: true, createdAt: true, createdById: true },
  });
}
