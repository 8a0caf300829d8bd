// Running an approved action for the approvals executor: as its requester, on the repository as
// it is now, bound to what the reviewer saw, and repeatable without landing twice.
//
// - The stored digest (tool, arguments, the branch head they were evaluated against) is checked
//   first; if the branch moved since the review, the call is decided again instead of run blindly.
// - A push is pinned (see ExecutionPins): the same change, parent, author and dates make the same
//   commit, pushed only where the branch was. Its plan (branch, commit) is recorded before the
//   push starts, so an attempt that takes over from a dead one first looks for that commit: landed
//   → done; branch still where it was → push that very commit (git's compare-and-swap lets at most
//   one of two such pushes through); branch moved elsewhere → that commit can never land, so the
//   action is decided again like any moved branch.
// - Other tools record that they started; a later attempt runs them again only where it can tell
//   the earlier one did not take effect, and otherwise fails with the reason.
import { createHash } from 'node:crypto';
import { approvalDigest } from '../approvals/approval-digest';
import type { ApprovalRecord } from '../approvals/approval-record';
import { config } from '../config';
import { db } from '../db';
import { isAppError } from '../errors';
import { roomRepository } from '../repositories/room-repository';
import { decideCall } from './decide';
import { executeCall } from './execute-call';
import { rewriteBranchName } from './rewrite';
import { roomFacts } from './room-facts';
import { pullNumberOf, pullRequestUrl, REPOSITORY_TOOLS } from './tools/repository-tools';
import type { ExecutionPins, PlannedPush, ToolContext, ToolDefinition, ToolOutcome } from './tools/tool-types';

type Person = { name: string; email: string };

/** What an attempt recorded before acting. */
export type ExecutionPlan =
  | ({
      kind: 'push';
      effect: 'allow' | 'rewrite';
      /** The branch the agent named (for a rewrite, the protected branch). */
      target: string;
      expectedHead: string | null;
      author: Person;
      commitDate: string;
    } & PlannedPush)
  | { kind: 'started'; tool: string };

export type ApprovedCallOutcome = { status: 'executed'; outcome: ToolOutcome } | { status: 'failed'; error: string };

export type ApprovedCallHooks = {
  /** Durably records the plan right before acting; throws when this attempt must not act. */
  recordPlan: (plan: ExecutionPlan) => Promise<void>;
  /** False after too many interrupted attempts: an earlier attempt's landing is still recognised. */
  mayAct: boolean;
};

type Args = Record<string, unknown>;

const failed = (error: string): ApprovedCallOutcome => ({ status: 'failed', error });
const executed = (outcome: ToolOutcome): ApprovedCallOutcome => ({ status: 'executed', outcome });

export async function runApprovedCall(
  approval: ApprovalRecord,
  hooks: ApprovedCallHooks,
): Promise<ApprovedCallOutcome> {
  const tool = REPOSITORY_TOOLS.find((t) => t.name === approval.tool);
  if (!tool) return failed(`Aegis cannot run ${approval.tool} for an approval; nothing was executed.`);
  const args = approval.arguments as Args;
  if (approvalDigest(approval.tool, args, approval.baseSha) !== approval.digest) {
    return failed('The stored approval does not match the action that was reviewed, so nothing was executed.');
  }
  const context = await requesterContext(approval);
  const plan = approval.executionPlan as ExecutionPlan | null;
  if (plan) {
    const resumed = await resumeEarlierAttempt(approval, context, tool, args, plan, hooks);
    if (resumed) return resumed;
  }
  if (!hooks.mayAct) {
    return failed(
      `Aegis was interrupted ${approval.attempts - 1} times while running this action and gave up; nothing was executed. The agent can try again.`,
    );
  }
  return runAsReviewed(approval, context, tool, args, hooks);
}

async function requesterContext(approval: ApprovalRecord): Promise<ToolContext> {
  const requester = await db.user.findUniqueOrThrow({
    where: { id: approval.requesterId },
    select: { name: true, email: true },
  });
  return {
    room: await roomFacts(approval.roomId),
    userId: approval.requesterId,
    role: approval.requesterRole,
    author: requester,
    sessionId: approval.sessionId ?? 'approval',
    baseUrl: config().AEGIS_PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${process.env.PORT ?? 3000}`,
  };
}

async function runAsReviewed(
  approval: ApprovalRecord,
  context: ToolContext,
  tool: ToolDefinition,
  args: Args,
  hooks: ApprovedCallHooks,
): Promise<ApprovedCallOutcome> {
  const decision = await decideCall(context, approval.tool, args);
  let effect: 'allow' | 'rewrite' = 'allow';
  if (decision.gathered.baseSha !== approval.baseSha) {
    // The repository moved: what was reviewed is not what would happen now. Decide again.
    if (decision.effect === 'block' || decision.effect === 'require_approval') {
      return failed(
        `The repository changed since this action was reviewed, and the policy now says ${decision.effect}` +
          (decision.message ? `: ${decision.message}` : '') +
          '. Nothing was executed; the agent can try again.',
      );
    }
    effect = decision.effect;
  }
  if (approval.tool !== 'push_files') {
    await hooks.recordPlan({ kind: 'started', tool: approval.tool });
    return executed(await executeCall(context, tool, args, effect));
  }

  const target = String(args.branch);
  const evaluated = decision.gathered.baseSha; // the branch head, or where a new branch starts
  const newBranch = Boolean(decision.gathered.facts.newBranch);
  const commitDate = approval.decidedAt ?? approval.createdAt;
  const tracker = planTracker(context, hooks, {
    effect,
    target,
    author: context.author,
    commitDate: commitDate.toISOString(),
  });
  const pins: ExecutionPins =
    effect === 'rewrite'
      ? {
          expectedHead: null,
          createBranchFrom: evaluated ?? undefined,
          rewriteBranch: rewriteBranchName(context.room.branchPattern, target, stableSuffix(approval.id)),
          commitDate,
          beforePush: tracker.beforePush,
        }
      : {
          expectedHead: newBranch ? null : evaluated,
          createBranchFrom: newBranch ? (evaluated ?? undefined) : undefined,
          commitDate,
          beforePush: tracker.beforePush,
        };
  return tracker.run(() => executeCall({ ...context, pins }, tool, args, effect));
}

async function resumeEarlierAttempt(
  approval: ApprovalRecord,
  context: ToolContext,
  tool: ToolDefinition,
  args: Args,
  plan: ExecutionPlan,
  hooks: ApprovedCallHooks,
): Promise<ApprovedCallOutcome | null> {
  if (plan.kind === 'started') return resumeStartedTool(approval, context, args, hooks);
  if (!hooks.mayAct) {
    return (await landed(approval.roomId, plan)) ? executed(await landedOutcome(context, plan)) : null;
  }
  const tracker = planTracker(context, hooks, plan);
  const pins: ExecutionPins = {
    expectedHead: plan.expectedHead,
    createBranchFrom: plan.created ? (plan.parentSha ?? undefined) : undefined,
    rewriteBranch: plan.effect === 'rewrite' ? plan.branch : undefined,
    commitDate: new Date(plan.commitDate),
    beforePush: tracker.beforePush,
  };
  try {
    // The very commit planned before: already landed → reported as pushed; not yet → pushed now.
    return await tracker.run(() => executeCall({ ...context, author: plan.author, pins }, tool, args, plan.effect));
  } catch (error) {
    if (!isAppError(error) || error.code !== 'conflict') throw error;
    if (await landed(approval.roomId, plan)) return executed(await landedOutcome(context, plan));
    // The branch moved elsewhere, so the planned commit can never land: decide afresh.
    return null;
  }
}

/**
 * Wraps a pinned push: records its plan before the push starts; and when the push then fails in
 * a way that leaves its fate unclear (say, a timeout after the remote took it), looks for the
 * planned commit on the branch before calling it a failure.
 */
function planTracker(
  context: ToolContext,
  hooks: ApprovedCallHooks,
  base: { effect: 'allow' | 'rewrite'; target: string; author: Person; commitDate: string },
) {
  let planned: PushPlan | null = null;
  return {
    beforePush: async (push: PlannedPush) => {
      const plan: PushPlan = {
        kind: 'push',
        ...base,
        branch: push.branch,
        commitSha: push.commitSha,
        parentSha: push.parentSha,
        created: push.created,
        expectedHead: push.created ? null : push.parentSha,
      };
      await hooks.recordPlan(plan);
      planned = plan;
    },
    async run(execute: () => Promise<ToolOutcome>): Promise<ApprovedCallOutcome> {
      try {
        return executed(await execute());
      } catch (error) {
        const plan = planned as PushPlan | null;
        if (plan && (await landed(context.room.id, plan))) return executed(await landedOutcome(context, plan));
        throw error;
      }
    },
  };
}

type PushPlan = Extract<ExecutionPlan, { kind: 'push' }>;

async function landed(roomId: string, plan: PushPlan): Promise<boolean> {
  const repository = await roomRepository(roomId);
  return repository.branchContains(plan.branch, plan.commitSha).catch(() => false);
}

/** The result of a push an earlier attempt landed, as the agent would have received it. */
async function landedOutcome(context: ToolContext, plan: PushPlan): Promise<ToolOutcome> {
  const commit = { sha: plan.commitSha, parent: plan.parentSha };
  const note = ' (it had landed in an earlier attempt)';
  if (plan.effect === 'rewrite') {
    const repository = await roomRepository(context.room.id);
    const [changeRequest] = await repository.listPullRequests({ state: 'all', head: plan.branch, base: plan.target });
    const url = changeRequest ? pullRequestUrl(context, changeRequest) : undefined;
    return {
      summary: `rewrote a push to ${plan.target} into branch ${plan.branch} (${plan.commitSha.slice(0, 12)})${note}`,
      data: {
        rewritten: true,
        message: `${plan.target} is protected, so Aegis pushed your commit to the new branch ${plan.branch}${changeRequest ? ` and opened pull request #${changeRequest.number} into ${plan.target}` : ''}.`,
        ref: `refs/heads/${plan.branch}`,
        commit,
        ...(changeRequest
          ? { pull_request: { number: changeRequest.number, url, html_url: url, head: plan.branch, base: plan.target } }
          : {}),
      },
      commitSha: plan.commitSha,
      branch: plan.branch,
      pullRequest: changeRequest?.number,
    };
  }
  return {
    summary: `pushed to ${plan.branch} as ${plan.commitSha.slice(0, 12)}${note}`,
    data: { ref: `refs/heads/${plan.branch}`, commit, created_branch: plan.created },
    commitSha: plan.commitSha,
    branch: plan.branch,
  };
}

/**
 * A tool other than push_files that an earlier attempt started: run it again only where that
 * attempt visibly did not take effect (null), report it done where it visibly did, and otherwise
 * fail with the reason rather than risk doing it twice.
 */
async function resumeStartedTool(
  approval: ApprovalRecord,
  context: ToolContext,
  args: Args,
  hooks: ApprovedCallHooks,
): Promise<ApprovedCallOutcome | null> {
  const unknown = (detail: string) =>
    failed(
      `Aegis stopped while running this approved ${approval.tool} and cannot tell whether it took effect (${detail}), so it was not run again. Check the repository; the agent can try again.`,
    );
  const rerun = hooks.mayAct ? null : unknown('it was interrupted too many times');
  const repository = await roomRepository(approval.roomId);
  switch (approval.tool) {
    case 'merge_pull_request': {
      const number = pullNumberOf(args);
      const changeRequest = await repository.getPullRequest(number);
      if (changeRequest.state === 'merged' && changeRequest.mergeCommitSha) {
        return executed({
          summary: `pull request #${number} had been merged into ${changeRequest.base} as ${changeRequest.mergeCommitSha.slice(0, 12)} in an earlier attempt`,
          data: { merged: true, sha: changeRequest.mergeCommitSha, message: `Pull request #${number} merged` },
          commitSha: changeRequest.mergeCommitSha,
          branch: changeRequest.base,
          pullRequest: number,
        });
      }
      return changeRequest.state === 'open' ? rerun : unknown(`pull request #${number} is ${changeRequest.state}`);
    }
    case 'create_branch':
    case 'delete_branch': {
      const branch = String(args.branch);
      await repository.sync();
      const exists = (await repository.headOf(branch)) !== null;
      // A branch still absent was not created; one still present was not deleted.
      if (exists === (approval.tool === 'delete_branch')) return rerun;
      return unknown(`branch "${branch}" ${exists ? 'exists' : 'is gone'} now`);
    }
    case 'create_pull_request': {
      const head = String(args.head);
      const [open] = await repository.listPullRequests({ state: 'open', head });
      return open ? unknown(`pull request #${open.number} from ${head} is open now`) : rerun;
    }
    default:
      return unknown('no way to check');
  }
}

/** Six hex digits fixed per approval: every attempt of one rewrite pushes to one branch name. */
function stableSuffix(approvalId: string): string {
  return createHash('sha256').update(approvalId).digest('hex').slice(0, 6);
}
