// One interface for the repository a room governs, whatever kind it is: a git room (Aegis's own
// mirror of a git remote, pull requests kept by Aegis as change requests) or a GitHub room (the
// GitHub REST API, real pull requests). The gateway's tools, the policy facts, approvals, the
// simulator and the change-request pages talk to this, never to one kind.
import type {
  Branch,
  ChangePreview,
  ChangeSet,
  DiffResult,
  MergeMethod,
  Person,
  PushFilesInput,
  PushResult,
  ReadResult,
} from '../git/types';
import type { CiStatus } from '../policy';

export type PullRequestState = 'open' | 'merging' | 'merged' | 'closed';

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  state: PullRequestState;
  head: string;
  base: string;
  /** The head branch's commit, where known without asking again (GitHub rooms). */
  headSha: string | null;
  /** Where people see it: GitHub's page; null for a git room (its page in Aegis). */
  url: string | null;
  draft: boolean;
  /** The Aegis user who opened it (through an agent), when Aegis knows. */
  authorId: string | null;
  createdAt: Date;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
}

export interface CreatePullRequestInput {
  authorId: string;
  title: string;
  body?: string;
  head: string;
  base: string;
  draft?: boolean;
}

export interface UpdatePullRequestInput {
  number: number;
  actorId: string;
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  base?: string;
}

export interface MergePullRequestInput {
  number: number;
  actorId: string;
  author: Person;
  method?: MergeMethod;
  message?: string;
  /** Merge exactly this head commit, or refuse (conflict) if the head branch moved. */
  expectedHeadSha?: string;
}

export interface MergedPullRequest {
  /** The base branch's new head. */
  sha: string;
  method: MergeMethod;
  pullRequest: PullRequest;
}

export interface RoomRepository {
  readonly kind: 'git' | 'github';
  /** Brings what this process knows of the repository up to date (a fetch for git rooms). */
  sync(): Promise<void>;
  listBranches(): Promise<Branch[]>;
  /** The commit a branch points at, or null when there is no such branch. */
  headOf(branch: string): Promise<string | null>;
  /** A file's content, or a directory's entries ('' for the root), at a branch or commit. */
  readFile(ref: string, path: string): Promise<ReadResult>;
  /** Creates branch `name` at `fromRef` (a branch or commit); refuses if it exists. */
  createBranch(name: string, fromRef: string): Promise<Branch>;
  /** Deletes a branch (not the default branch; only at `expectedHead` if given). */
  deleteBranch(name: string, options?: { expectedHead?: string }): Promise<void>;
  /** Does `branch`, as it is now, contain commit `sha`? False when either is unknown. */
  branchContains(branch: string, sha: string): Promise<boolean>;
  /** What pushFiles would change, without writing anything. */
  previewChanges(input: ChangeSet): Promise<ChangePreview>;
  /** Writes and deletes files as exactly one commit on a branch (never forced). */
  pushFiles(input: PushFilesInput): Promise<PushResult>;
  /** What `headRef` changes relative to `baseRef` (from their merge base unless `mergeBase: false`). */
  diff(baseRef: string, headRef: string, options?: { mergeBase?: boolean }): Promise<DiffResult>;

  createPullRequest(input: CreatePullRequestInput): Promise<PullRequest>;
  listPullRequests(filter?: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string }): Promise<PullRequest[]>;
  getPullRequest(number: number): Promise<PullRequest>;
  updatePullRequest(input: UpdatePullRequestInput): Promise<PullRequest>;
  mergePullRequest(input: MergePullRequestInput): Promise<MergedPullRequest>;
  /** What a pull request changes (once merged: what the merge brought into the base). */
  pullRequestDiff(pullRequest: PullRequest): Promise<DiffResult>;
  /**
   * The CI status of a commit (a pull request's head): check runs and commit statuses together,
   * pending counting as not passed. Undefined where the room has no CI to ask (git rooms).
   */
  ciStatus?(sha: string): Promise<CiStatus>;
  /** Does the pull request have an approving review on its host (GitHub rooms)? */
  hasApprovingReview?(number: number): Promise<boolean>;
}
