// Who may do what in a room: a declarative table of the least role each action needs, checked by
// one function that fails closed on anything it does not know.
import type { Role } from '../generated/prisma/enums';
import { AppError } from '../errors';

export const ROLES = ['DEVELOPER', 'ADMIN', 'OWNER'] as const satisfies readonly Role[];
const RANK: Record<Role, number> = { DEVELOPER: 1, ADMIN: 2, OWNER: 3 };

export const ROOM_PERMISSIONS = {
  'room.view': 'DEVELOPER',
  // a member's own token: every member has one, sees it and rotates it
  'token.reveal': 'DEVELOPER',
  'token.rotate': 'DEVELOPER',
  // other members' tokens: revoke one, or rotate every token of the room at once
  'token.revoke': 'OWNER',
  'session.disconnect': 'ADMIN',
  'policy.edit': 'ADMIN',
  // default and protected branches, the agent branch pattern, the repository credentials
  'room.settings': 'ADMIN',
  'approval.review': 'ADMIN',
  'members.manage': 'OWNER',
  'room.archive': 'OWNER',
} as const satisfies Record<string, Role>;

export type RoomAction = keyof typeof ROOM_PERMISSIONS;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/** Is `role` at least `minimum`? Unknown roles never are. */
export function roleAtLeast(role: unknown, minimum: Role): boolean {
  return isRole(role) && RANK[role] >= RANK[minimum];
}

export function can(role: unknown, action: string): boolean {
  if (!Object.hasOwn(ROOM_PERMISSIONS, action)) return false;
  return roleAtLeast(role, ROOM_PERMISSIONS[action as RoomAction]);
}

export function assertCan(role: unknown, action: RoomAction): void {
  if (!can(role, action)) {
    throw new AppError('forbidden', `Your role in this room does not allow this (needs ${ROOM_PERMISSIONS[action]})`);
  }
}

/** The roles up to and including `role`: what a member may connect an agent as. */
export function rolesUpTo(role: Role): Role[] {
  return ROLES.filter((r) => RANK[r] <= RANK[role]);
}
