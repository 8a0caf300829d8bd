// The room facts every call needs (repository, branches, pattern), cached per room and dropped on
// the events that change them.
import { db } from '../db';
import { AppError } from '../errors';
import { subscribe, type AegisEvent } from '../events/event-bus';
import type { RoomFacts } from './tools/tool-types';

const CACHE_MS = 30_000;
const state = globalThis as unknown as {
  aegisRoomFacts?: Map<string, { value: RoomFacts; expires: number }>;
  aegisRoomFactsSubscribed?: Promise<unknown>;
  // Bumped on every event that drops cached facts, so that facts read before a change (e.g. to the
  // room's settings) are not cached after the event announcing it.
  aegisRoomFactsGeneration?: { value: number };
};
const rooms = (state.aegisRoomFacts ??= new Map());
const generation = (state.aegisRoomFactsGeneration ??= { value: 0 });

function onEvent(event: AegisEvent) {
  if (event.type === 'bus.reset') rooms.clear();
  else if ('roomId' in event) rooms.delete(event.roomId);
  else return;
  generation.value++;
}

export async function roomFacts(roomId: string): Promise<RoomFacts> {
  await (state.aegisRoomFactsSubscribed ??= subscribe(onEvent));
  const hit = rooms.get(roomId);
  if (hit && hit.expires > Date.now()) return hit.value;
  const readAt = generation.value;
  const room = await db.room.findUnique({
    where: { id: roomId },
    select: {
      id: true,
      name: true,
      repositoryKind: true,
      repositoryLocation: true,
      defaultBranch: true,
      protectedBranches: true,
      branchPattern: true,
      archivedAt: true,
    },
  });
  if (!room || room.archivedAt) throw new AppError('invalid_token', 'The room is archived');
  const value: RoomFacts = {
    id: room.id,
    name: room.name,
    repositoryKind: room.repositoryKind,
    repositoryLocation: room.repositoryLocation,
    defaultBranch: room.defaultBranch,
    protectedBranches: room.protectedBranches,
    branchPattern: room.branchPattern,
  };
  if (generation.value === readAt) rooms.set(roomId, { value, expires: Date.now() + CACHE_MS });
  return value;
}
