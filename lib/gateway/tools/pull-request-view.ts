// What an agent is shown of a pull request, the same on both kinds of room (with GitHub's field
// names, html_url included), and where people see it.
import type { PullRequest } from '../../repositories/repository';
import type { ToolContext } from './tool-types';

/** Where people see a pull request: GitHub's page, or (git rooms) its page in Aegis. */
export function pullRequestUrl(context: ToolContext, pullRequest: Pick<PullRequest, 'number' | 'url'>) {
  return pullRequest.url ?? `${context.baseUrl}/rooms/${context.room.id}/pulls/${pullRequest.number}`;
}

export function pullRequestView(context: ToolContext, pr: PullRequest) {
  const url = pullRequestUrl(context, pr);
  return {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    state: pr.state,
    draft: pr.draft,
    head: pr.head,
    base: pr.base,
    url,
    html_url: url,
    created_at: pr.createdAt.toISOString(),
    merged_at: pr.mergedAt?.toISOString() ?? null,
    merge_commit_sha: pr.mergeCommitSha,
  };
}
