// Aegis's git reaches a remote with the room's credentials only. The server's own identity is
// set up here the way an operator's machine might have it — a global credential helper that would
// answer, ~/.netrc, a proxy, git config from the environment — and a control run of plain git
// shows that it would indeed be used; Aegis's checkRemote and mirror fetch never use it. Also:
// git connects to the addresses Aegis checked (pinning) and follows no redirect.
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRemote } from './check-remote';
import { GitRepository } from './git-repository';
import { LOCATION_REFUSED_MESSAGE, type LocationPolicy } from './location-policy';
import { failure, tempDir, testLocationPolicy } from './test-fixtures';

const HELPER_SECRET = 'helper-secret-7f3a';
const NETRC_SECRET = 'netrc-secret-91bc';
const ENV_CONFIG_SECRET = 'env-config-secret-5d2e';

type Seen = { host: string | undefined; url: string | undefined; authorization: string | undefined };

/** An HTTP server on loopback that wants Basic credentials and records every request. */
async function listen(handler?: (seen: Seen, res: import('node:http').ServerResponse) => boolean) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const entry = { host: req.headers.host, url: req.url, authorization: decode(req.headers) };
    seen.push(entry);
    if (handler?.(entry, res)) return;
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="aegis-test"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { seen, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function decode(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  return value ? Buffer.from(value.replace(/^Basic /, ''), 'base64').toString() : undefined;
}

const saved: Record<string, string | undefined> = {};
const serverIdentity: Record<string, string> = {};
let root: string;
let cleanup: () => void;
let proxy: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  ({ dir: root, cleanup } = tempDir('aegis-isolation-'));
  const home = path.join(root, 'server-home');
  mkdirSync(path.join(home, '.config', 'git'), { recursive: true });
  mkdirSync(path.join(home, '.ssh'));
  const helper = `!f() { echo username=server-user; echo password=${HELPER_SECRET}; }; f`;
  writeFileSync(path.join(home, '.gitconfig'), `[credential]\n\thelper = "${helper}"\n`);
  writeFileSync(path.join(home, '.config', 'git', 'config'), `[credential]\n\thelper = "${helper}"\n`);
  writeFileSync(path.join(home, '.netrc'), `machine 127.0.0.1 login netrc-user password ${NETRC_SECRET}\n`);
  writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'not a real key\n');
  proxy = await listen();
  Object.assign(serverIdentity, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.helper',
    GIT_CONFIG_VALUE_0: `!f() { echo username=env-user; echo password=${ENV_CONFIG_SECRET}; }; f`,
    SSH_AUTH_SOCK: path.join(home, 'agent.sock'),
    GIT_SSH_COMMAND: 'ssh -i ~/.ssh/id_ed25519',
    http_proxy: `http://127.0.0.1:${proxy.port}`,
    HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
    NO_PROXY: '',
    no_proxy: '',
  });
  for (const [key, value] of Object.entries(serverIdentity)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});

afterAll(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await proxy.close();
  cleanup();
});

const httpPolicy = (extra: Partial<LocationPolicy> = {}): LocationPolicy => ({
  ...testLocationPolicy(root),
  remoteSchemes: ['http'],
  allowPrivateNetworks: true,
  ...extra,
});

describe('git started by Aegis', { timeout: 60_000 }, () => {
  it("would leak the server's credentials if git ran with the server's environment (control)", async () => {
    const remote = await listen();
    try {
      await new Promise<void>((resolve) => {
        execFile('git', ['ls-remote', `http://localhost:${remote.port}/r.git`], { env: process.env }, () => resolve());
      });
      // Plain git went through the "server's" proxy and offered the helper's password.
      const everything = [...remote.seen, ...proxy.seen].map((s) => s.authorization ?? '').join(' ');
      expect(everything).toMatch(new RegExp(`${HELPER_SECRET}|${ENV_CONFIG_SECRET}`));
    } finally {
      await remote.close();
      proxy.seen.length = 0;
    }
  });

  it("never uses the server's credential helpers, ~/.netrc or proxy: only the room's credentials", async () => {
    const remote = await listen();
    try {
      const url = `http://127.0.0.1:${remote.port}/repo.git`;
      const anonymous = await failure(checkRemote({ url }, { policy: httpPolicy() }));
      expect(anonymous.message).toMatch(/Authentication to .* failed/);
      const withRoomCredentials = await failure(
        checkRemote({ url, username: 'room-user', password: 'room-token' }, { policy: httpPolicy() }),
      );
      expect(withRoomCredentials.message).toMatch(/Authentication to .* failed/);
      const mirror = new GitRepository({
        mirrorDir: path.join(root, 'mirror'),
        remote: { url, username: 'room-user', password: 'room-token' },
        locationPolicy: httpPolicy(),
      });
      await failure(mirror.sync());

      const offered = remote.seen.map((s) => s.authorization).filter(Boolean);
      expect(remote.seen.length).toBeGreaterThan(0);
      expect(offered.every((a) => a === 'room-user:room-token')).toBe(true);
      expect(offered).toContain('room-user:room-token');
      expect(proxy.seen).toEqual([]);
    } finally {
      await remote.close();
    }
  });

  it('connects to the address Aegis resolved and checked, not to what git would resolve', async () => {
    const remote = await listen();
    try {
      // The name does not exist in DNS: git can only reach the server through the pinned address.
      const policy = httpPolicy({ lookup: async () => ['127.0.0.1'] });
      const error = await failure(checkRemote({ url: `http://pinned.aegis.invalid:${remote.port}/r.git` }, { policy }));
      expect(error.message).toMatch(/Authentication/);
      expect(remote.seen[0]).toMatchObject({ host: `pinned.aegis.invalid:${remote.port}` });
    } finally {
      await remote.close();
    }
  });

  it('follows no redirect to another host', async () => {
    const elsewhere = await listen();
    const remote = await listen((_, res) => {
      res.writeHead(302, { Location: `http://127.0.0.1:${elsewhere.port}/r.git/info/refs?service=git-upload-pack` });
      res.end();
      return true;
    });
    try {
      const error = await failure(
        checkRemote({ url: `http://127.0.0.1:${remote.port}/r.git` }, { policy: httpPolicy() }),
      );
      expect(error.message).toBe(LOCATION_REFUSED_MESSAGE);
      expect(remote.seen.length).toBeGreaterThan(0);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await Promise.all([remote.close(), elsewhere.close()]);
    }
  });

  it('refuses a loopback remote before connecting when private networks are not allowed', async () => {
    const remote = await listen();
    try {
      const error = await failure(
        checkRemote(
          { url: `http://127.0.0.1:${remote.port}/r.git` },
          { policy: httpPolicy({ allowPrivateNetworks: false }) },
        ),
      );
      expect(error.message).toBe(LOCATION_REFUSED_MESSAGE);
      expect(remote.seen).toEqual([]);
    } finally {
      await remote.close();
    }
  });
});
