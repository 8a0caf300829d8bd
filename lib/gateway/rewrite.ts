// `rewrite`: a push to a protected branch becomes a push to a new branch named by the room's
// pattern, plus a pull request into the protected branch. The agent's call succeeds and its
// result says what happened, with the pull request's number and link.
import { randomBytes } from 'node:crypto';
import { matchBranch } from '../policy';
import { isValidBranchName } from '../git';
import { roomRepository } from '../repositories/room-repository';
import { pullRequestUrl } from './tools/repository-tools';
import type { ToolContext, ToolOutcome } from './tools/tool-types';

const GLOB = /[*?[]/;

/**
 * A fresh branch name matching the room's pattern, e.g. `aegis/**` + main → `aegis/main-3f9a2c`
 * (`suffix`: fixed instead of random, so every attempt of one approved action uses one name).
 */
export function rewriteBranchName(pattern: string, target: string, suffix = randomBytes(3).toString('hex')): string {
  const literal = [];
  for (const segment of pattern.split('/')) {
    if (GLOB.test(segment)) break;
    literal.push(segment);
  }
  const slug = target.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'change';
  const candidate = [...literal, `${slug}-${suffix}`].join('/');
  if (isValidBranchName(candidate) && matchBranch(pattern, candidate)) return candidate;
  return `aegis/${slug}-${suffix}`;
}

export async function executeRewrittenPush(
  context: ToolContext,
  args: { branch: string; files: { path: string; content: string }[]; deletions?: string[]; message: string },
): Promise<ToolOutcome> {
  const target = args.branch;
  const { pins } = context;
  const branch = pins?.rewriteBranch ?? rewriteBranchName(context.room.branchPattern, target);
  const repository = await roomRepository(context.room.id);
  const pushed = await repository.pushFiles({
    branch,
    files: args.files,
    deletions: args.deletions ?? [],
    message: args.message,
    author: context.author,
    createBranchFrom: pins?.createBranchFrom ?? target,
    // The new branch must not exist yet; an earlier attempt's very commit on it counts as pushed.
    ...(pins
      ? { expectedHead: null, commitDate: pins.commitDate, acceptLanded: true, beforePush: pins.beforePush }
      : {}),
  });
  // An earlier attempt may have opened the pull request too.
  const [opened] = pins ? await repository.listPullRequests({ state: 'all', head: branch, base: target }) : [];
  const changeRequest =
    opened ??
    (await repository.createPullRequest({
      authorId: context.userId,
      title: args.message.split('\n')[0]!.slice(0, 300),
      body: `Opened by Aegis: a push to the protected branch \`${target}\` was rewritten into this pull request.\n\n${args.message}`,
      head: branch,
      base: target,
    }));
  const url = pullRequestUrl(context, changeRequest);
  return {
    summary: `rewrote a push to ${target} into branch ${branch} (${pushed.commitSha.slice(0, 12)}) and pull request #${changeRequest.number}`,
    data: {
      rewritten: true,
      message: `${target} is protected, so Aegis pushed your commit to the new branch ${branch} and opened pull request #${changeRequest.number} into ${target}: ${url}`,
      ref: `refs/heads/${branch}`,
      commit: { sha: pushed.commitSha, parent: pushed.parentSha },
      pull_request: { number: changeRequest.number, url, html_url: url, head: branch, base: target },
    },
    commitSha: pushed.commitSha,
    branch,
    pullRequest: changeRequest.number,
  };
}
