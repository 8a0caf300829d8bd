// Checking a GitHub room's repository and credential before the room is saved, against the fake
// GitHub held to GitHub's OpenAPI description: tokens and GitHub App installations (whose JWT the
// fake verifies with the App's public key), each failure naming what is missing.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../../tests/fixtures/github-server';
import { checkGitHubRepository } from './check-github-repository';

const TOKEN = 'ghp_checkTokenNeverShown0123456789';
const open = { network: { allowPrivateNetworks: true } };
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
let fake: FakeGitHub | undefined;

async function start(permissions = { admin: false, push: true, pull: true }) {
  fake = await FakeGitHub.start({
    dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'aegis-check-')), 'repo.git'),
    owner: 'acme',
    repo: 'app',
    tokens: [TOKEN],
    permissions,
    app: { id: 4242, installationId: 77, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  });
  await fake.commit('main', { 'README.md': 'x\n' });
  return fake;
}

afterEach(async () => {
  try {
    fake?.assertNoViolations();
  } finally {
    await fake?.close();
    fake = undefined;
  }
});

describe('checkGitHubRepository', () => {
  it('accepts a token that can read and write, and names what a weaker one lacks', async () => {
    const fake = await start();
    const input = { apiUrl: fake.url, fullName: 'acme/app', credentials: { kind: 'token' as const, token: TOKEN } };
    await expect(checkGitHubRepository(input, open)).resolves.toEqual({ defaultBranch: 'main' });
    await expect(checkGitHubRepository({ ...input, defaultBranch: 'develop' }, open)).rejects.toMatchObject({
      details: { field: 'defaultBranch' },
    });
    await expect(checkGitHubRepository({ ...input, fullName: 'acme/other' }, open)).rejects.toMatchObject({
      message: expect.stringContaining('acme/other was not found, or the token cannot read it'),
      details: { field: 'location' },
    });
    const wrong = await checkGitHubRepository({ ...input, credentials: { kind: 'token', token: 'nope' } }, open).catch(
      (e: Error) => e,
    );
    expect(wrong).toMatchObject({
      message: expect.stringContaining('bad credentials'),
      details: { field: 'password' },
    });
    fake.permissions = { admin: false, push: false, pull: true };
    await expect(checkGitHubRepository(input, open)).rejects.toMatchObject({
      message: expect.stringContaining('needs Contents: read and write and Pull requests: read and write'),
    });
  });

  it('mints an installation token for a GitHub App and checks the installation can write', async () => {
    const fake = await start();
    const app = {
      kind: 'app' as const,
      appId: '4242',
      installationId: '77',
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    };
    await expect(
      checkGitHubRepository({ apiUrl: fake.url, fullName: 'acme/app', credentials: app }, open),
    ).resolves.toEqual({
      defaultBranch: 'main',
    });
    expect(
      fake.requests.some((r) => r.operationId === 'apps/create-installation-access-token' && r.status === 201),
    ).toBe(true);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString();
    await expect(
      checkGitHubRepository(
        { apiUrl: fake.url, fullName: 'acme/app', credentials: { ...app, privateKey: other } },
        open,
      ),
    ).rejects.toMatchObject({ details: { field: 'privateKey' } });
  });

  it('refuses a loopback API URL unless the operator allows private networks', async () => {
    const fake = await start();
    const input = { apiUrl: fake.url, fullName: 'acme/app', credentials: { kind: 'token' as const, token: TOKEN } };
    await expect(checkGitHubRepository(input, { network: { allowPrivateNetworks: false } })).rejects.toMatchObject({
      details: { field: 'githubApiUrl' },
    });
    expect(fake.requests).toEqual([]);
  });
});
