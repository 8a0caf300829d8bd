// A new room decides as PRODUCT.md's "Defaults for a new room" table says. For each preset, an
// OWNER creates the room in the dashboard (a real browser), then an agent — the official MCP SDK
// client with its member's own token — makes the call that preset is about. What the agent is told
// and the audit entry's decision and rule are checked, and git confirms what (did not) land.
//
// "Merges need passing CI" (an ADMIN's merge while CI fails or runs) has no case here: git rooms
// report no CI status, so it never applies to them (lib/policy/presets.test.ts covers it).
import { expect, test, type Page } from '@playwright/test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { db } from '@/lib/db';
import { saveRoomPolicy } from '@/lib/policies/room-policy';
import { defaultPolicy } from '@/lib/policy/presets';
import { myTokenForIntegrations } from '@/lib/rooms/member-tokens';
import { branches, createOriginRepository, git, gitLog, pushBranchCommit } from '../fixtures/git';
import { addTestMember, type TestRoom } from '../fixtures/rooms';
import { createTestUser, signInViaApi } from '../fixtures/users';
import { callOk, connectAgent, resultText } from '../fixtures/agents';

type Role = 'DEVELOPER' | 'ADMIN' | 'OWNER';
type Effect = 'allow' | 'rewrite' | 'require_approval' | 'block';
type Call = { name: string; arguments: Record<string, unknown> };

// Assembled at run time so the repository itself holds no scannable key.
const PRIVATE_KEY = [
  '-----BEGIN ',
  'RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Cc3pCsJQpW1Wd8p1hYV4TzAvRkQ\n',
  '-----END ',
  'RSA PRIVATE KEY-----\n',
].join('');
const WORKFLOW = 'on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n';

const push = (branch: string, files: Record<string, string>): Call => ({
  name: 'push_files',
  arguments: {
    branch,
    message: 'Agent change',
    files: Object.entries(files).map(([path, content]) => ({ path, content })),
  },
});
const openPullRequest = (head: string) => async (agent: Client) => {
  await callOk(agent, 'create_pull_request', { title: `Merge ${head}`, head, base: 'main' });
};
const merge: Call = { name: 'merge_pull_request', arguments: { pullNumber: 1 } };

type Case = {
  /** The preset (and so the audit entry's rule id) that decides. */
  preset: string;
  /** What the agent does, in the table's words. */
  story: string;
  role: Role;
  /** Branches someone pushed to the repository before (name → files). */
  origin?: Record<string, Record<string, string>>;
  /** The room has a freeze window in effect now. */
  frozen?: boolean;
  /** What the agent did before the call in question (e.g. open the pull request it then merges). */
  before?: (agent: Client) => Promise<void>;
  call: Call;
  decision: Effect;
  /** What the agent is told. */
  says: RegExp;
  /** What git shows afterwards. */
  then?: (room: TestRoom, mainBefore: string) => void;
};

const unchanged = (room: TestRoom, mainBefore: string) => {
  expect(git(room.origin, 'rev-parse', 'main')).toBe(mainBefore);
};

const CASES: Case[] = [
  {
    preset: 'read-tools',
    story: 'a DEVELOPER reads a file',
    role: 'DEVELOPER',
    call: { name: 'get_file_contents', arguments: { path: 'README.md' } },
    decision: 'allow',
    says: /# Fixture/,
  },
  {
    preset: 'secret-detection',
    story: 'a DEVELOPER pushes a private key to an agent branch',
    role: 'DEVELOPER',
    call: push('aegis/deploy', { 'deploy/id_rsa': PRIVATE_KEY }),
    decision: 'block',
    says: /looks like it contains a secret \(private key in deploy\/id_rsa/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'freeze-windows',
    story: 'an OWNER pushes during a freeze window',
    role: 'OWNER',
    frozen: true,
    call: push('aegis/docs', { 'docs/notes.md': '# Notes\n' }),
    decision: 'block',
    says: /Writes are frozen right now \(freeze window "all week"\)/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'protected-branches',
    story: 'a DEVELOPER pushes to the default branch',
    role: 'DEVELOPER',
    call: push('main', { 'src/app.ts': 'export const answer = 43;\n' }),
    decision: 'rewrite',
    says: /"rewritten":\s*true[\s\S]*pull request #1/,
    then: (room, mainBefore) => {
      unchanged(room, mainBefore);
      expect(branches(room.origin)).toEqual([expect.stringMatching(/^aegis\/main-[0-9a-f]{6}$/), 'main']);
    },
  },
  {
    preset: 'protected-branch-deletion',
    story: 'an OWNER deletes the default branch',
    role: 'OWNER',
    call: { name: 'delete_branch', arguments: { branch: 'main' } },
    decision: 'block',
    says: /"main" is the default or a protected branch and cannot be deleted/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'branch-naming',
    story: 'a DEVELOPER creates a branch outside aegis/**',
    role: 'DEVELOPER',
    call: { name: 'create_branch', arguments: { branch: 'feature/login' } },
    decision: 'block',
    says: /must match the room's branch pattern "aegis\/\*\*"/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'no-autonomous-merge',
    story: 'a DEVELOPER merges a pull request that adds .github/workflows/ci.yml',
    role: 'DEVELOPER',
    origin: { 'aegis/ci': { '.github/workflows/ci.yml': WORKFLOW } },
    before: openPullRequest('aegis/ci'),
    call: merge,
    decision: 'block',
    says: /Agents acting as DEVELOPER cannot merge pull requests/,
    then: unchanged,
  },
  {
    preset: 'no-autonomous-merge',
    story: 'a DEVELOPER merges a pull request that only changes the README',
    role: 'DEVELOPER',
    origin: { 'aegis/readme': { 'README.md': '# Fixture\n\nMore words.\n' } },
    before: openPullRequest('aegis/readme'),
    call: merge,
    decision: 'block',
    says: /Agents acting as DEVELOPER cannot merge pull requests/,
    then: unchanged,
  },
  {
    preset: 'sensitive-paths',
    story: 'a DEVELOPER pushes a CI workflow to an agent branch',
    role: 'DEVELOPER',
    call: push('aegis/ci', { '.github/workflows/ci.yml': WORKFLOW }),
    decision: 'require_approval',
    says: /"status":\s*"pending_approval"[\s\S]*"rule":\s*"Sensitive paths"/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'blast-radius',
    story: 'a DEVELOPER pushes 25 files to an agent branch (High blast radius)',
    role: 'DEVELOPER',
    call: push(
      'aegis/refactor',
      Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`src/module-${i}.ts`, `export const n = ${i};\n`])),
    ),
    decision: 'require_approval',
    says: /"status":\s*"pending_approval"[\s\S]*"rule":\s*"High blast radius"/,
    then: (room) => expect(branches(room.origin)).toEqual(['main']),
  },
  {
    preset: 'admin-merge',
    story: 'an ADMIN merges a pull request',
    role: 'ADMIN',
    origin: { 'aegis/readme': { 'README.md': '# Fixture\n\nMore words.\n' } },
    before: openPullRequest('aegis/readme'),
    call: merge,
    decision: 'require_approval',
    says: /"status":\s*"pending_approval"[\s\S]*"rule":\s*"Merges by ADMIN"/,
    then: unchanged,
  },
  {
    preset: 'owner-allow',
    story: 'an OWNER pushes to the default branch',
    role: 'OWNER',
    call: push('main', { 'README.md': '# Fixture\n\nEdited by the owner.\n' }),
    decision: 'allow',
    says: /"commit"/,
    then: (room) => expect(git(room.origin, 'show', 'main:README.md')).toContain('Edited by the owner.'),
  },
  {
    preset: 'working-branches',
    story: 'a DEVELOPER pushes to an agent branch',
    role: 'DEVELOPER',
    call: push('aegis/fix-login', { 'src/login.ts': 'export const login = () => true;\n' }),
    decision: 'allow',
    says: /"commit"/,
    then: (room) => expect(git(room.origin, 'show', 'aegis/fix-login:src/login.ts')).toContain('login'),
  },
  {
    preset: 'pull-requests',
    story: 'a DEVELOPER opens a pull request',
    role: 'DEVELOPER',
    origin: { 'aegis/readme': { 'README.md': '# Fixture\n\nMore words.\n' } },
    call: { name: 'create_pull_request', arguments: { title: 'Docs', head: 'aegis/readme', base: 'main' } },
    decision: 'allow',
    says: /"number":\s*1/,
  },
  {
    preset: 'admin-writes',
    story: 'an ADMIN pushes to an unprotected branch someone else made',
    role: 'ADMIN',
    origin: { 'hotfix/login': { 'src/login.ts': 'export const login = () => false;\n' } },
    call: push('hotfix/login', { 'src/login.ts': 'export const login = () => true;\n' }),
    decision: 'allow',
    says: /"commit"/,
    then: (room) => expect(git(room.origin, 'show', 'hotfix/login:src/login.ts')).toContain('true'),
  },
];

/** The OWNER creates a room for `origin` in the dashboard, keeping the form's defaults. */
async function createRoomInDashboard(page: Page, origin: string): Promise<TestRoom> {
  const owner = await createTestUser('owner');
  await signInViaApi(page.request, owner);
  await page.goto('/rooms/new');
  const name = `defaults-${Date.now().toString(36)}`;
  await page.getByLabel('Room name').fill(name);
  await page.getByLabel('Repository path or URL').fill(origin);
  await page.getByRole('button', { name: 'Create room' }).click();
  // Creating checks the repository with git first: allow for a busy machine.
  await expect(page.getByRole('heading', { name })).toBeVisible({ timeout: 30_000 });
  const id = /\/rooms\/([^/?#]+)/.exec(page.url())![1]!;
  return { id, name, origin, owner, token: await myTokenForIntegrations(owner.id, id) };
}

async function agentFor(room: TestRoom, role: Role): Promise<Client> {
  const member = role === 'OWNER' ? { id: room.owner.id, token: room.token } : await addTestMember(room, role);
  return connectAgent('streamable-http', { userId: member.id, roomId: room.id, token: member.token, role });
}

/** A freeze window covering the whole week, added to the room's policy (not what the story is about). */
async function freezeAllWeek(room: TestRoom) {
  const policy = defaultPolicy();
  policy.freezeWindows = [
    {
      name: 'all week',
      timeZone: 'UTC',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      startTime: '00:00',
      endTime: '00:00',
    },
  ];
  await saveRoomPolicy(room.owner.id, room.id, policy);
}

for (const c of CASES) {
  test(`a new room: ${c.story} → ${c.decision} by "${c.preset}"`, async ({ page }) => {
    const origin = createOriginRepository();
    for (const [branch, files] of Object.entries(c.origin ?? {})) {
      pushBranchCommit(origin, branch, files, `Work on ${branch}`);
    }
    const room = await createRoomInDashboard(page, origin);
    if (c.frozen) await freezeAllWeek(room);
    const mainBefore = gitLog(origin, 'main')[0]!.sha;

    const agent = await agentFor(room, c.role);
    try {
      await c.before?.(agent);
      const result = await agent.callTool(c.call);
      const text = resultText(result);
      expect(Boolean(result.isError), text).toBe(c.decision === 'block');
      expect(text).toMatch(c.says);

      const entry = await db.auditEntry.findFirstOrThrow({
        where: { roomId: room.id, kind: 'decision', tool: c.call.name },
        orderBy: { seq: 'desc' },
        select: { decision: true, ruleId: true, role: true, policyVersion: true },
      });
      expect(entry).toEqual({
        decision: c.decision,
        ruleId: c.preset,
        role: c.role,
        policyVersion: c.frozen ? 2 : 1,
      });
      c.then?.(room, mainBefore);
    } finally {
      await agent.close();
    }
  });
}
