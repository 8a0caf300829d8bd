// Which addresses count as public, in every form a URL can spell them, and how host names are
// judged: by every address they resolve to.
import { describe, expect, it } from 'vitest';
import { isPublicAddress, resolveAllowedHost } from './public-address';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '0.0.0.0',
    '0.1.2.3',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '192.0.2.1',
    '198.18.0.1',
    '240.0.0.1',
    '::',
    '::1',
    '[::1]',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    'fec0::1',
    '64:ff9b::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::1',
    '2001:db8::1',
    '2001::1',
    '100::1',
    'not an address',
    '0x7f.1',
    '2130706433',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '140.82.112.3', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])(
    '%s is public',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('resolveAllowedHost', () => {
  const lookupTo = (addresses: string[]) => async (): Promise<string[]> => addresses;

  it('passes a name only when every address it resolves to is public, and returns them all', async () => {
    const both = ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'];
    expect(await resolveAllowedHost('example.com', { allowPrivateNetworks: false, lookup: lookupTo(both) })).toEqual({
      ok: true,
      addresses: both,
      literal: false,
    });
    expect(
      await resolveAllowedHost('mixed.example', {
        allowPrivateNetworks: false,
        lookup: lookupTo(['93.184.216.34', '10.0.0.5']),
      }),
    ).toEqual({ ok: false, reason: 'not_public' });
  });

  it('refuses names that do not resolve, or not in time', async () => {
    const failing = async (): Promise<string[]> => {
      throw new Error('ENOTFOUND');
    };
    expect(await resolveAllowedHost('nowhere.invalid', { allowPrivateNetworks: true, lookup: failing })).toEqual({
      ok: false,
      reason: 'unresolvable',
    });
    const never = () => new Promise<string[]>(() => {});
    expect(
      await resolveAllowedHost('slow.example', { allowPrivateNetworks: true, lookup: never, lookupTimeoutMs: 20 }),
    ).toEqual({ ok: false, reason: 'unresolvable' });
    expect(await resolveAllowedHost('empty.example', { allowPrivateNetworks: true, lookup: lookupTo([]) })).toEqual({
      ok: false,
      reason: 'unresolvable',
    });
  });

  it('judges IP literals without resolving them, and allows private ones only when told to', async () => {
    const lookup = async (): Promise<string[]> => {
      throw new Error('must not be called');
    };
    expect(await resolveAllowedHost('[::1]', { allowPrivateNetworks: false, lookup })).toEqual({
      ok: false,
      reason: 'not_public',
    });
    expect(await resolveAllowedHost('[::1]', { allowPrivateNetworks: true, lookup })).toEqual({
      ok: true,
      addresses: ['::1'],
      literal: true,
    });
    expect(await resolveAllowedHost('8.8.8.8', { allowPrivateNetworks: false, lookup })).toMatchObject({ ok: true });
  });

  it('resolves localhost with the system resolver and refuses it', async () => {
    expect(await resolveAllowedHost('localhost', { allowPrivateNetworks: false })).toMatchObject({ ok: false });
  });
});
