// The repository tools agents see, named and shaped like the GitHub MCP server's so agents
// already know them. Every call is checked against the room's policy and audited first.
import { z } from 'zod';
import { invalid } from '../../errors';
import { validateBranchName, validateFilePath } from '../../git/validate-ref';
import { roomRepository } from '../../repositories/room-repository';
import { createOrUpdateFileTool, deleteFileTool } from './file-tools';
import { pullRequestView } from './pull-request-view';
import { repositoryArgs } from './repository-args';
import { updatePullRequestTool } from './update-pull-request-tool';
import { defineTool } from './tool-types';

const GOVERNED =
  'Aegis checks this call against the room policy first: it may be allowed, rewritten into a safer equivalent, held for human approval, or blocked with a message explaining why.';

const branchName = (description: string) => z.string().min(1).max(250).describe(description);

/** merge_pull_request takes `pullNumber` (the GitHub MCP server's name) or `pull_number` (the REST API's). */
export function pullNumberOf(args: Record<string, unknown>): number {
  return Number(args.pullNumber ?? args.pull_number);
}

function requirePullNumber(args: { pullNumber?: number; pull_number?: number }, ctx: z.RefinementCtx) {
  if (args.pullNumber === undefined && args.pull_number === undefined) {
    ctx.addIssue({ code: 'custom', path: ['pullNumber'], message: 'Give the pull request number (pullNumber)' });
  } else if (args.pullNumber !== undefined && args.pull_number !== undefined && args.pullNumber !== args.pull_number) {
    ctx.addIssue({
      code: 'custom',
      path: ['pull_number'],
      message: 'pullNumber and pull_number name different pull requests',
    });
  }
}

export const listBranchesTool = defineTool({
  name: 'list_branches',
  description: "List the branches of the room's repository with their head commit SHAs.",
  kind: 'read',
  input: z.object({
    ...repositoryArgs,
    page: z.number().int().min(1).optional().describe('Page number (1-based)'),
    perPage: z.number().int().min(1).max(100).optional().describe('Results per page (max 100, default 30)'),
  }),
  async execute(context, args) {
    const repository = await roomRepository(context.room.id);
    const all = await repository.listBranches();
    const perPage = args.perPage ?? 30;
    const page = args.page ?? 1;
    const branches = all.slice((page - 1) * perPage, page * perPage).map((b) => ({
      name: b.name,
      commit: { sha: b.sha },
      protected: b.name === context.room.defaultBranch,
    }));
    return { summary: `${branches.length} of ${all.length} branches`, data: branches };
  },
});

export const getFileContentsTool = defineTool({
  name: 'get_file_contents',
  description:
    "Get the contents of a file, or the listing of a directory, in the room's repository. `path` '/' or '' lists the root.",
  kind: 'read',
  input: z.object({
    ...repositoryArgs,
    path: z.string().max(4096).default('/').describe('Path of the file or directory'),
    ref: z.string().max(250).optional().describe('Branch, tag or commit SHA (default: the default branch)'),
    branch: z.string().max(250).optional().describe('Alias of ref'),
  }),
  async execute(context, args) {
    const trimmed = args.path.replace(/^\/+|\/+$/g, '');
    const filePath = trimmed === '' ? '' : validateFilePath(trimmed);
    const ref = args.ref ?? args.branch ?? context.room.defaultBranch;
    const repository = await roomRepository(context.room.id);
    const result = await repository.readFile(ref, filePath);
    if (result.type === 'directory') {
      return {
        summary: `listed ${result.entries.length} entries of /${filePath}`,
        data: result.entries.map((e) => ({
          name: e.name,
          path: e.path,
          type: e.type === 'directory' ? 'dir' : e.type,
          sha: e.sha,
          size: e.size,
        })),
      };
    }
    if (result.type === 'submodule') {
      return { summary: `submodule ${filePath}`, data: { type: 'submodule', path: result.path, sha: result.sha } };
    }
    return {
      summary: `read ${filePath} (${result.size} bytes)`,
      data: {
        type: 'file',
        path: result.path,
        sha: result.sha,
        size: result.size,
        encoding: result.binary ? 'base64' : 'utf-8',
        content: result.binary ? result.content.toString('base64') : result.content.toString('utf8'),
      },
    };
  },
});

export const createBranchTool = defineTool({
  name: 'create_branch',
  description: `Create a new branch in the room's repository, from another branch (default: the default branch). Branch names must match the room's naming pattern. ${GOVERNED}`,
  kind: 'write',
  input: z.object({
    ...repositoryArgs,
    branch: branchName('Name of the new branch'),
    from_branch: z.string().max(250).optional().describe('Branch to start from (default: the default branch)'),
  }),
  async execute(context, args) {
    const name = validateBranchName(args.branch);
    const from = args.from_branch ?? context.room.defaultBranch;
    const repository = await roomRepository(context.room.id);
    const created = await repository.createBranch(name, from);
    return {
      summary: `created branch ${name} from ${from} at ${created.sha.slice(0, 12)}`,
      data: { ref: `refs/heads/${created.name}`, object: { sha: created.sha } },
      branch: created.name,
      commitSha: created.sha,
    };
  },
});

export const pushFilesInput = z.object({
  ...repositoryArgs,
  branch: branchName('Branch to push to (created from the default branch if it does not exist)'),
  files: z
    .array(z.object({ path: z.string().min(1).max(4096), content: z.string() }))
    .max(100)
    .default([])
    .describe('Files to write: path and full new content'),
  deletions: z.array(z.string().min(1).max(4096)).max(100).optional().describe('Paths of files to delete'),
  message: z.string().min(1).max(10_000).describe('Commit message'),
});

export const pushFilesTool = defineTool({
  name: 'push_files',
  description: `Push several files (and optionally deletions) to a branch as one commit. Pushes to protected branches may be rewritten into a new branch plus a pull request; pushes containing secrets are blocked. ${GOVERNED}`,
  kind: 'write',
  input: pushFilesInput,
  async execute(context, args) {
    const branch = validateBranchName(args.branch);
    const files = args.files.map((f) => ({ path: validateFilePath(f.path), content: f.content }));
    const deletions = (args.deletions ?? []).map((p) => validateFilePath(p));
    if (files.length === 0 && deletions.length === 0)
      throw invalid('Nothing to push: give files or deletions', { field: 'files' });
    const repository = await roomRepository(context.room.id);
    const { pins } = context;
    const pushed = await repository.pushFiles({
      branch,
      files,
      deletions,
      message: args.message,
      author: context.author,
      createBranchFrom: pins?.createBranchFrom ?? context.room.defaultBranch,
      ...(pins
        ? {
            expectedHead: pins.expectedHead,
            commitDate: pins.commitDate,
            acceptLanded: true,
            beforePush: pins.beforePush,
          }
        : context.decidedOn !== undefined
          ? { previewedOn: context.decidedOn }
          : {}),
    });
    return {
      summary:
        `pushed ${files.length} file(s)${deletions.length ? ` and ${deletions.length} deletion(s)` : ''} to ${branch} as ${pushed.commitSha.slice(0, 12)}` +
        (pushed.landedEarlier ? ' (it had landed in an earlier attempt)' : ''),
      data: {
        ref: `refs/heads/${branch}`,
        commit: { sha: pushed.commitSha, parent: pushed.parentSha },
        created_branch: pushed.created,
      },
      commitSha: pushed.commitSha,
      branch,
    };
  },
});

export const createPullRequestTool = defineTool({
  name: 'create_pull_request',
  description: `Open a pull request from one branch (head) into another (base). ${GOVERNED}`,
  kind: 'write',
  input: z.object({
    ...repositoryArgs,
    title: z.string().min(1).max(300).describe('Title'),
    body: z.string().max(65_536).optional().describe('Description'),
    head: branchName('Branch with the changes'),
    base: z.string().max(250).optional().describe('Branch to merge into (default: the default branch)'),
    draft: z.boolean().optional().describe('Open as a draft (GitHub rooms; git rooms have no drafts)'),
  }),
  async execute(context, args) {
    const repository = await roomRepository(context.room.id);
    const cr = await repository.createPullRequest({
      authorId: context.userId,
      title: args.title,
      body: args.body,
      head: args.head,
      base: args.base ?? context.room.defaultBranch,
      draft: args.draft,
    });
    return {
      summary: `opened pull request #${cr.number} ${cr.head} → ${cr.base}`,
      data: pullRequestView(context, cr),
      pullRequest: cr.number,
      branch: cr.head,
    };
  },
});

export const listPullRequestsTool = defineTool({
  name: 'list_pull_requests',
  description: "List the room's pull requests, newest first.",
  kind: 'read',
  input: z.object({
    ...repositoryArgs,
    state: z
      .enum(['open', 'closed', 'all'])
      .optional()
      .describe('Filter by state (default open; closed includes merged)'),
    head: z.string().max(250).optional().describe('Filter by head branch'),
    base: z.string().max(250).optional().describe('Filter by base branch'),
  }),
  async execute(context, args) {
    const repository = await roomRepository(context.room.id);
    const selected = await repository.listPullRequests({
      state: args.state ?? 'open',
      head: args.head,
      base: args.base,
    });
    return { summary: `${selected.length} pull request(s)`, data: selected.map((cr) => pullRequestView(context, cr)) };
  },
});

export const mergePullRequestTool = defineTool({
  name: 'merge_pull_request',
  description: `Merge a pull request into its base branch (refused on conflicts). ${GOVERNED}`,
  kind: 'write',
  input: z
    .object({
      ...repositoryArgs,
      pullNumber: z.number().int().min(1).optional().describe('Pull request number'),
      pull_number: z.number().int().min(1).optional().describe('Alias of pullNumber'),
      merge_method: z
        .enum(['merge', 'squash', 'rebase'])
        .optional()
        .describe('merge (default), squash, or rebase (performed as a fast-forward when possible)'),
      commit_title: z.string().max(300).optional().describe('Title of the merge commit'),
      commit_message: z.string().max(65_536).optional().describe('Extra detail for the merge commit'),
      sha: z
        .string()
        .regex(/^([0-9a-f]{40}|[0-9a-f]{64})$/i, 'must be a full commit id (40 hexadecimal characters)')
        .optional()
        .describe(
          'Head commit the pull request must be at (as on GitHub): exactly this commit is merged, and the merge is refused if the branch has moved',
        ),
    })
    .superRefine(requirePullNumber),
  async execute(context, args) {
    const number = pullNumberOf(args);
    const message = args.commit_title
      ? [args.commit_title, args.commit_message].filter(Boolean).join('\n\n')
      : undefined;
    const repository = await roomRepository(context.room.id);
    const merged = await repository.mergePullRequest({
      number: number,
      actorId: context.userId,
      author: context.author,
      method: args.merge_method === 'squash' ? 'squash' : args.merge_method === 'rebase' ? 'fast-forward' : 'merge',
      message,
      expectedHeadSha: args.sha?.toLowerCase(),
    });
    return {
      summary: `merged pull request #${number} into ${merged.pullRequest.base} as ${merged.sha.slice(0, 12)} (${merged.method})`,
      data: {
        merged: true,
        sha: merged.sha,
        method: merged.method,
        message: `Pull request #${number} merged`,
      },
      commitSha: merged.sha,
      branch: merged.pullRequest.base,
      pullRequest: number,
    };
  },
});

export const deleteBranchTool = defineTool({
  name: 'delete_branch',
  description: `Delete a branch of the room's repository. The default branch cannot be deleted. ${GOVERNED}`,
  kind: 'write',
  input: z.object({ ...repositoryArgs, branch: branchName('Branch to delete') }),
  async execute(context, args) {
    const name = validateBranchName(args.branch);
    if (name === context.room.defaultBranch) throw invalid('The default branch cannot be deleted', { field: 'branch' });
    const repository = await roomRepository(context.room.id);
    await repository.deleteBranch(name);
    return { summary: `deleted branch ${name}`, data: { deleted: true, branch: name }, branch: name };
  },
});

export const REPOSITORY_TOOLS = [
  listBranchesTool,
  getFileContentsTool,
  createBranchTool,
  pushFilesTool,
  createOrUpdateFileTool,
  deleteFileTool,
  createPullRequestTool,
  listPullRequestsTool,
  updatePullRequestTool,
  mergePullRequestTool,
  deleteBranchTool,
];

export { pullRequestUrl, pullRequestView } from './pull-request-view';
