// update_pull_request: change a pull request's title, description, base branch or state
// (close / reopen), as the GitHub MCP server's tool does. On a git room it changes the Aegis
// change request; on a GitHub room, the GitHub pull request.
import { z } from 'zod';
import { invalid } from '../../errors';
import { roomRepository } from '../../repositories/room-repository';
import { repositoryArgs } from './repository-args';
import { pullRequestView } from './pull-request-view';
import { defineTool } from './tool-types';

export const updatePullRequestTool = defineTool({
  name: 'update_pull_request',
  description:
    'Update a pull request: title, body, base branch, or state (closed / open). Aegis checks this call against the room policy first.',
  kind: 'write',
  input: z.object({
    ...repositoryArgs,
    pullNumber: z.number().int().min(1).describe('Pull request number'),
    title: z.string().min(1).max(300).optional().describe('New title'),
    body: z.string().max(65_536).optional().describe('New description'),
    base: z.string().min(1).max(250).optional().describe('New base branch'),
    state: z.enum(['open', 'closed']).optional().describe('open or closed'),
  }),
  async facts(context, args, base) {
    const repository = await roomRepository(context.room.id);
    const pullRequest = await repository.getPullRequest(args.pullNumber);
    return { facts: { ...base, branch: pullRequest.head, baseBranch: args.base ?? pullRequest.base }, baseSha: null };
  },
  async execute(context, args) {
    if ([args.title, args.body, args.base, args.state].every((v) => v === undefined)) {
      throw invalid('Nothing to update: give a title, body, base or state', { field: 'title' });
    }
    const repository = await roomRepository(context.room.id);
    const updated = await repository.updatePullRequest({
      number: args.pullNumber,
      actorId: context.userId,
      title: args.title,
      body: args.body,
      base: args.base,
      state: args.state,
    });
    return {
      summary: `updated pull request #${updated.number} (${updated.state})`,
      data: pullRequestView(context, updated),
      pullRequest: updated.number,
      branch: updated.head,
    };
  },
});
