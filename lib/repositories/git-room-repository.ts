// A git room's repository behind the one RoomRepository interface: branches, files and commits
// through Aegis's mirror (lib/git), pull requests as Aegis change requests in the database.
import type { GitRepository } from '../git';
import {
  changeRequestDiff,
  createChangeRequest,
  getChangeRequest,
  listChangeRequests,
  mergeChangeRequest,
  updateChangeRequest,
  type ChangeRequest,
} from '../change-requests/change-requests';
import type { ChangeSet, PushFilesInput } from '../git/types';
import type {
  CreatePullRequestInput,
  MergePullRequestInput,
  MergedPullRequest,
  PullRequest,
  RoomRepository,
  UpdatePullRequestInput,
} from './repository';

export function pullRequestOf(changeRequest: ChangeRequest): PullRequest {
  return {
    number: changeRequest.number,
    title: changeRequest.title,
    body: changeRequest.body,
    state: changeRequest.state as PullRequest['state'],
    head: changeRequest.head,
    base: changeRequest.base,
    headSha: null,
    url: null,
    draft: false,
    authorId: changeRequest.authorId,
    createdAt: changeRequest.createdAt,
    mergedAt: changeRequest.mergedAt,
    mergeCommitSha: changeRequest.mergeCommitSha,
  };
}

export class GitRoomRepository implements RoomRepository {
  readonly kind = 'git' as const;

  constructor(
    private readonly roomId: string,
    /** The mirror-backed repository (the change requests' merges run on it). */
    readonly git: GitRepository,
  ) {}

  sync() {
    return this.git.sync();
  }
  listBranches() {
    return this.git.listBranches();
  }
  headOf(branch: string) {
    return this.git.headOf(branch);
  }
  readFile(ref: string, path: string) {
    return this.git.readFile(ref, path);
  }
  createBranch(name: string, fromRef: string) {
    return this.git.createBranch(name, fromRef);
  }
  deleteBranch(name: string, options?: { expectedHead?: string }) {
    return this.git.deleteBranch(name, options);
  }
  branchContains(branch: string, sha: string) {
    return this.git.branchContains(branch, sha);
  }
  previewChanges(input: ChangeSet) {
    return this.git.previewChanges(input);
  }
  pushFiles(input: PushFilesInput) {
    return this.git.pushFiles(input);
  }
  diff(baseRef: string, headRef: string, options?: { mergeBase?: boolean }) {
    return this.git.diff(baseRef, headRef, options);
  }

  async createPullRequest(input: CreatePullRequestInput): Promise<PullRequest> {
    return pullRequestOf(await createChangeRequest({ roomId: this.roomId, ...input }, this.git));
  }

  async listPullRequests(filter: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string } = {}) {
    const state = filter.state ?? 'all';
    const all = await listChangeRequests(this.roomId, { state: 'all', head: filter.head, base: filter.base });
    // "closed" covers merged ones, as on GitHub.
    return all
      .filter((cr) => state === 'all' || (state === 'open' ? cr.state === 'open' : cr.state !== 'open'))
      .map(pullRequestOf);
  }

  async getPullRequest(number: number) {
    return pullRequestOf(await getChangeRequest(this.roomId, number));
  }

  async updatePullRequest(input: UpdatePullRequestInput) {
    return pullRequestOf(await updateChangeRequest({ roomId: this.roomId, ...input }, this.git));
  }

  async mergePullRequest(input: MergePullRequestInput): Promise<MergedPullRequest> {
    const merged = await mergeChangeRequest({ roomId: this.roomId, ...input }, this.git);
    return { sha: merged.sha, method: merged.method, pullRequest: pullRequestOf(merged.changeRequest) };
  }

  async pullRequestDiff(pullRequest: PullRequest) {
    return changeRequestDiff(await getChangeRequest(this.roomId, pullRequest.number), this.git);
  }
}
