// The location policy on real directories: local repositories only under the roots (after
// symlinks and `..`), never the data directory, file:// treated as a path; remote URLs only over
// the allowed schemes and to public addresses (every spelling of a private one refused), pinned;
// and one identical error for every refusal.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  admitRemote,
  isLocationRefusal,
  LOCATION_REFUSED_MESSAGE,
  locationKeyOf,
  remoteKey,
  type LocationPolicy,
} from './location-policy';
import { createOrigin, disposeOriginTemplate, git, tempDir, testLocationPolicy } from './test-fixtures';

afterAll(disposeOriginTemplate);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the location to be refused');
}

/** A root with a repository in it, a repository outside it, and a data directory inside it. */
async function layout(onTestFinished: (fn: () => void) => void) {
  const { dir, cleanup } = tempDir('aegis-locations-');
  onTestFinished(cleanup);
  const root = path.join(dir, 'root');
  const outside = path.join(dir, 'outside');
  const dataDir = path.join(root, '.data');
  for (const d of [root, outside, dataDir]) mkdirSync(d);
  const { origin } = await createOrigin(root, 'team.git');
  const { origin: foreign } = await createOrigin(outside, 'secret.git');
  const { origin: inData } = await createOrigin(dataDir, 'mirror.git');
  const policy = testLocationPolicy(root, { forbiddenPaths: [dataDir] });
  return { dir, root, outside, dataDir, origin, foreign, inData, policy };
}

const admit = (url: string, policy: LocationPolicy) => admitRemote({ url }, policy);

describe.concurrent('local repositories', { timeout: 30_000 }, () => {
  it('admits a repository under a root, as the real path of its git directory', async ({ onTestFinished }) => {
    const { origin, policy } = await layout(onTestFinished);
    const { admitted } = await admit(origin, policy);
    expect(admitted).toEqual({ gitUrl: origin, key: `local:${origin}`, protocol: 'file', config: [] });
    // file:// is the same path under the same rule.
    expect((await admit(`file://${origin}`, policy)).admitted.key).toBe(`local:${origin}`);
  });

  it('refuses paths outside the roots, however they are spelled', async ({ onTestFinished }) => {
    const { root, foreign, policy } = await layout(onTestFinished);
    const link = path.join(root, 'link.git');
    symlinkSync(foreign, link);
    for (const url of [
      foreign,
      `file://${foreign}`,
      path.join(root, '..', 'outside', 'secret.git'),
      `${root}/../outside/secret.git`,
      link,
      'file:///etc',
      '/etc',
      '/',
    ]) {
      const error = await refusal(admit(url, policy));
      expect(error.message, url).toBe(LOCATION_REFUSED_MESSAGE);
    }
  });

  it("refuses Aegis's data directory and everything in it, even under a root", async ({ onTestFinished }) => {
    const { dataDir, inData, policy } = await layout(onTestFinished);
    for (const url of [dataDir, inData, `file://${inData}`]) {
      expect((await refusal(admit(url, policy))).message, url).toBe(LOCATION_REFUSED_MESSAGE);
    }
  });

  it('follows a symlink that stays under the root, and names the repository by its target', async ({
    onTestFinished,
  }) => {
    const { root, origin, policy } = await layout(onTestFinished);
    const link = path.join(root, 'alias.git');
    symlinkSync(origin, link);
    expect((await admit(link, policy)).admitted).toMatchObject({ gitUrl: origin, key: `local:${origin}` });
  });

  it('refuses a missing path under a root like any other, and names a plain directory', async ({ onTestFinished }) => {
    const { root, policy } = await layout(onTestFinished);
    expect((await refusal(admit(path.join(root, 'missing.git'), policy))).message).toBe(LOCATION_REFUSED_MESSAGE);
    const plain = path.join(root, 'plain');
    mkdirSync(plain);
    const notRepo = await refusal(admit(plain, policy));
    expect(isLocationRefusal(notRepo)).toBe(false);
    expect(notRepo.message).toBe(`${plain} is not a git repository.`);
  });

  it('gives a working copy and its .git directory the same identity', async ({ onTestFinished }) => {
    const { root, origin, policy } = await layout(onTestFinished);
    const work = path.join(root, 'work');
    await git(root, ['clone', '--quiet', origin, work]);
    const viaWork = (await admit(work, policy)).admitted;
    const viaGitDir = (await admit(path.join(work, '.git'), policy)).admitted;
    expect(viaWork.key).toBe(`local:${path.join(work, '.git')}`);
    expect(viaGitDir.key).toBe(viaWork.key);
    expect(await locationKeyOf(work)).toBe(viaWork.key);
  });

  it('refuses a .git file that points outside the roots', async ({ onTestFinished }) => {
    const { root, foreign, policy } = await layout(onTestFinished);
    const decoy = path.join(root, 'decoy');
    mkdirSync(decoy);
    writeFileSync(path.join(decoy, '.git'), `gitdir: ${foreign}\n`);
    expect((await refusal(admit(decoy, policy))).message).toBe(LOCATION_REFUSED_MESSAGE);
  });

  it('allows no local repository at all when there are no roots', async ({ onTestFinished }) => {
    const { origin, policy } = await layout(onTestFinished);
    expect((await refusal(admit(origin, { ...policy, repositoryRoots: [] }))).message).toBe(LOCATION_REFUSED_MESSAGE);
  });
});

describe.concurrent('remote repositories', () => {
  const policy = (extra: Partial<LocationPolicy> = {}): LocationPolicy => ({
    ...testLocationPolicy('/nonexistent-root'),
    remoteSchemes: ['https', 'http'],
    lookup: async (host) => {
      const table: Record<string, string[]> = {
        'git.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
        'internal.example.com': ['10.1.2.3'],
        'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
        localhost: ['127.0.0.1', '::1'],
      };
      if (!table[host]) throw new Error('ENOTFOUND');
      return table[host];
    },
    ...extra,
  });

  it('admits a public host and pins git to every address it resolved to, without redirects', async () => {
    const { resolved, admitted } = await admitRemote(
      { url: 'https://alice:tok@git.example.com/Team/Repo.git' },
      policy(),
    );
    expect(resolved.password).toBe('tok');
    expect(admitted).toEqual({
      gitUrl: 'https://git.example.com/Team/Repo.git',
      key: 'remote://git.example.com/team/repo',
      protocol: 'https',
      config: [
        'http.followRedirects=false',
        'http.curloptResolve=git.example.com:443:93.184.216.34,[2606:2800:220:1:248:1893:25c8:1946]',
      ],
    });
    const withPort = await admit('http://git.example.com:8080/r', policy());
    expect(withPort.admitted.config).toContain(
      'http.curloptResolve=git.example.com:8080:93.184.216.34,[2606:2800:220:1:248:1893:25c8:1946]',
    );
  });

  it.each([
    'http://169.254.169.254/x',
    'http://127.0.0.1/r.git',
    'http://2130706433/r.git',
    'http://0x7f.1/r.git',
    'http://0177.0.0.1/r.git',
    'http://127.1/r.git',
    'http://[::1]/r.git',
    'http://[::ffff:127.0.0.1]/r.git',
    'http://[::ffff:7f00:1]/r.git',
    'http://[::127.0.0.1]/r.git',
    'http://[64:ff9b::a9fe:a9fe]/latest',
    'http://0.0.0.0/r.git',
    'http://[::]/r.git',
    'http://10.0.0.1/r.git',
    'http://172.16.5.4/r.git',
    'http://192.168.0.1/r.git',
    'http://100.64.0.1/r.git',
    'http://224.0.0.1/r.git',
    'http://[fe80::1]/r.git',
    'http://[fd00::1]/r.git',
    'http://[ff02::1]/r.git',
    'https://localhost/r.git',
    'https://internal.example.com/r.git',
    'https://rebind.example.com/r.git',
    'https://unknown.example.com/r.git',
  ])('refuses %s', async (url) => {
    expect((await refusal(admit(url, policy()))).message).toBe(LOCATION_REFUSED_MESSAGE);
  });

  it('reaches private addresses only when the operator allows private networks', async () => {
    const { admitted } = await admit('http://127.0.0.1:8080/r.git', policy({ allowPrivateNetworks: true }));
    expect(admitted).toMatchObject({ gitUrl: 'http://127.0.0.1:8080/r.git', config: ['http.followRedirects=false'] });
    expect((await admit('https://localhost/r.git', policy({ allowPrivateNetworks: true }))).admitted.config).toContain(
      'http.curloptResolve=localhost:443:127.0.0.1,[::1]',
    );
  });

  it.each([
    'ssh://git@git.example.com/team/repo.git',
    'git@git.example.com:team/repo.git',
    'git://git.example.com/team/repo.git',
    'ftp://git.example.com/team/repo.git',
    'ext::sh -c touch% /tmp/pwned',
    'fd::17',
    'relative/path',
  ])('refuses %s: not an allowed scheme', async (url) => {
    expect((await refusal(admit(url, policy()))).message).toBe(LOCATION_REFUSED_MESSAGE);
  });

  it('refuses http when only https is allowed', async () => {
    expect((await refusal(admit('http://git.example.com/r', policy({ remoteSchemes: ['https'] })))).message).toBe(
      LOCATION_REFUSED_MESSAGE,
    );
  });

  it('names one repository the same however its URL is written', () => {
    const keys = [
      'https://GitHub.com/Org/Repo.git',
      'http://github.com/org/repo',
      'https://github.com:443/org/repo/',
      'https://github.com/org/repo.git/',
      'https://github.com/org/./repo',
    ].map((u) => remoteKey(new URL(u)));
    expect(new Set(keys)).toEqual(new Set(['remote://github.com/org/repo']));
    expect(remoteKey(new URL('https://github.com:8443/org/repo'))).toBe('remote://github.com:8443/org/repo');
  });
});

describe('every refusal is the same error', () => {
  it('has the same text, code and details whatever the reason', async ({ onTestFinished }) => {
    const { root, foreign, dataDir, policy } = await layout(onTestFinished);
    const lookup = async (host: string) => (host === 'example.com' ? ['10.0.0.1'] : Promise.reject(new Error('nx')));
    const remotePolicy = { ...policy, remoteSchemes: ['https'] as const, lookup };
    const errors = await Promise.all(
      [
        path.join(root, 'missing.git'),
        foreign,
        dataDir,
        'file:///etc',
        'http://169.254.169.254/x',
        'https://example.com/r.git',
        'https://nowhere.invalid/r.git',
        'ssh://git@github.com/o/r.git',
      ].map((url) => refusal(admit(url, remotePolicy))),
    );
    const shapes = errors.map((e) => JSON.stringify({ code: e.code, message: e.message, details: e.details }));
    expect(new Set(shapes).size).toBe(1);
    expect(errors[0]!.details).toEqual({ field: 'url', refused: true });
  });
});
