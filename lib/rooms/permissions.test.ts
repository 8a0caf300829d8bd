import { describe, expect, it } from 'vitest';
import { assertCan, can, roleAtLeast, rolesUpTo } from './permissions';

describe('room permissions', () => {
  it('order roles DEVELOPER < ADMIN < OWNER', () => {
    expect(roleAtLeast('OWNER', 'ADMIN')).toBe(true);
    expect(roleAtLeast('ADMIN', 'ADMIN')).toBe(true);
    expect(roleAtLeast('DEVELOPER', 'ADMIN')).toBe(false);
    expect(rolesUpTo('ADMIN')).toEqual(['DEVELOPER', 'ADMIN']);
  });

  it.each([
    ['DEVELOPER', 'room.view', true],
    ['DEVELOPER', 'token.reveal', true],
    ['DEVELOPER', 'token.rotate', true],
    ['DEVELOPER', 'token.revoke', false],
    ['ADMIN', 'token.revoke', false],
    ['OWNER', 'token.revoke', true],
    ['DEVELOPER', 'members.manage', false],
    ['ADMIN', 'members.manage', false],
    ['OWNER', 'members.manage', true],
    ['OWNER', 'room.archive', true],
    ['DEVELOPER', 'room.settings', false],
    ['ADMIN', 'room.settings', true],
    ['OWNER', 'room.settings', true],
  ])('%s may %s: %s', (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
  });

  it('fails closed on unknown roles and actions', () => {
    expect(can('SUPERUSER', 'room.view')).toBe(false);
    expect(can(undefined, 'room.view')).toBe(false);
    expect(can('OWNER', 'room.delete_everything')).toBe(false);
    expect(can('OWNER', 'toString')).toBe(false);
    expect(() => assertCan('ADMIN', 'token.revoke')).toThrow(/needs OWNER/);
  });
});
