// A GitHub room's repository behind the one RoomRepository interface, over GitHub's REST API.
// - Reads: the contents API (one request per file or directory; what a commit holds never
//   changes, so reads at a commit are cached).
// - push_files is exactly one commit made with the git data API: one tree (the new files inline,
//   deletions as null entries) on the branch head's tree, one commit, and a non-forced ref update.
//   GitHub refuses that update unless it fast-forwards, so a writer that moved the branch in
//   between wins; Aegis then retries on the new head only when the other writer touched none of
//   the pushed paths (the change is the same), and otherwise refuses, naming the moved branch.
//   Pinned pushes (approved actions) are never re-applied on a moved branch; the same tree,
//   parent, author and dates make the same commit id, so an earlier attempt that landed is found.
// - Pull requests are GitHub's own; CI status comes from the head's check runs and commit statuses.
import { createTwoFilesPatch, structuredPatch } from 'diff';
import { conflict, invalid, notFound } from '../errors';
import type {
  Branch,
  ChangePreview,
  ChangeSet,
  DiffResult,
  FileDiff,
  MergeMethod,
  PushFilesInput,
  PushResult,
  ReadResult,
  TreeEntry,
} from '../git/types';
import { validateBranchName, validateFilePath } from '../git/validate-ref';
import type { CiStatus } from '../policy';
import type {
  CreatePullRequestInput,
  MergePullRequestInput,
  MergedPullRequest,
  PullRequest,
  RoomRepository,
  UpdatePullRequestInput,
} from '../repositories/repository';
import type { GitHubClient } from './client';
import { asking, isGitHubStatus, toAppError } from './github-errors';

const COMMIT_ID = /^[0-9a-f]{40}$/i;
const READ_CACHE_ENTRIES = 256;
const MAX_DIFF_BYTES = 5 * 1024 * 1024;
const PUSH_ATTEMPTS = 3;

export interface GitHubRepositoryOptions {
  client: GitHubClient;
  /** owner/repo */
  fullName: string;
  committer?: { name: string; email: string };
  /** Awaited after a push Aegis made landed (other instances drop what they cached). */
  onBranchMoved?: (branch: string) => Promise<void>;
}

type GitHubPull = {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  draft?: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  html_url: string;
  created_at: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
};

export class GitHubRoomRepository implements RoomRepository {
  readonly kind = 'github' as const;
  private readonly owner: string;
  private readonly repo: string;
  private readonly readCache = new Map<string, ReadResult>();

  constructor(private readonly options: GitHubRepositoryOptions) {
    const [owner, repo] = options.fullName.split('/');
    this.owner = owner!;
    this.repo = repo!;
  }

  private get client() {
    return this.options.client;
  }
  private get where() {
    return { owner: this.owner, repo: this.repo };
  }

  async sync(): Promise<void> {
    // Every read asks GitHub; there is nothing to bring up to date.
  }

  async listBranches(): Promise<Branch[]> {
    const branches = await asking('listing branches', () =>
      this.client.paginate(this.client.repos.listBranches, { ...this.where, per_page: 100 }),
    );
    return branches.map((b) => ({ name: b.name, sha: b.commit.sha }));
  }

  async headOf(branch: string): Promise<string | null> {
    try {
      const ref = await this.client.git.getRef({ ...this.where, ref: `heads/${branch}` });
      return ref.data.object.sha;
    } catch (error) {
      if (isGitHubStatus(error, 404)) return null;
      throw toAppError(error, `reading branch "${branch}"`);
    }
  }

  /** A branch name or commit id, as a commit id (or null when there is no such branch). */
  private async resolve(ref: string): Promise<string | null> {
    return COMMIT_ID.test(ref) ? ref.toLowerCase() : this.headOf(ref);
  }

  async readFile(ref: string, path: string): Promise<ReadResult> {
    const commit = await this.resolve(ref);
    if (!commit) throw invalid(`"${ref}" is not a branch or commit of this repository`, { field: 'ref' });
    const key = `${commit}\0${path}`;
    const cached = this.readCache.get(key);
    if (cached) return cached;
    const result = await this.readAt(commit, path);
    if (this.readCache.size >= READ_CACHE_ENTRIES) this.readCache.delete(this.readCache.keys().next().value!);
    this.readCache.set(key, result);
    return result;
  }

  private async readAt(commit: string, path: string): Promise<ReadResult> {
    let data: unknown;
    try {
      data = (await this.client.repos.getContent({ ...this.where, path, ref: commit })).data;
    } catch (error) {
      if (isGitHubStatus(error, 404)) throw notFound(`"${path || '/'}" does not exist at ${commit.slice(0, 12)}.`);
      throw toAppError(error, `reading "${path || '/'}"`);
    }
    if (Array.isArray(data)) {
      const entries: TreeEntry[] = (
        data as { name: string; path: string; type: string; sha: string; size: number }[]
      ).map((e) => ({
        name: e.name,
        path: e.path,
        type:
          e.type === 'dir'
            ? 'directory'
            : e.type === 'symlink'
              ? 'symlink'
              : e.type === 'submodule'
                ? 'submodule'
                : 'file',
        sha: e.sha,
        size: e.type === 'dir' || e.type === 'submodule' ? null : e.size,
        mode:
          e.type === 'dir' ? '040000' : e.type === 'symlink' ? '120000' : e.type === 'submodule' ? '160000' : '100644',
      }));
      return { type: 'directory', path, sha: '', entries };
    }
    const item = data as {
      type: string;
      path: string;
      sha: string;
      size: number;
      content?: string;
      encoding?: string;
      target?: string;
    };
    if (item.type === 'submodule') return { type: 'submodule', path: item.path, sha: item.sha };
    if (item.type === 'symlink') {
      const content = Buffer.from(item.target ?? '', 'utf8');
      return {
        type: 'symlink',
        path: item.path,
        sha: item.sha,
        size: content.length,
        mode: '120000',
        content,
        binary: false,
      };
    }
    if (item.encoding !== 'base64' || item.content === undefined) {
      // GitHub leaves out the content of files over 1 MB from the contents API.
      const blob = await asking(`reading "${path}"`, () =>
        this.client.git.getBlob({ ...this.where, file_sha: item.sha }),
      );
      item.content = blob.data.content;
    }
    const content = Buffer.from(item.content, 'base64');
    const binary = content.subarray(0, 8000).includes(0);
    return { type: 'file', path: item.path, sha: item.sha, size: content.length, mode: '100644', content, binary };
  }

  /** A file's content at a commit, or null when the path holds no file there. */
  private async fileAt(commit: string, path: string): Promise<Buffer | null> {
    try {
      const read = await this.readFile(commit, path);
      return read.type === 'file' ? read.content : null;
    } catch (error) {
      if ((error as { code?: string }).code === 'not_found') return null;
      throw error;
    }
  }

  async createBranch(name: string, fromRef: string): Promise<Branch> {
    validateBranchName(name);
    const from = await this.resolve(fromRef);
    if (!from) throw invalid(`There is no branch "${fromRef}" to start from`, { field: 'from_branch' });
    try {
      await this.client.git.createRef({ ...this.where, ref: `refs/heads/${name}`, sha: from });
    } catch (error) {
      if (isGitHubStatus(error, 422)) throw conflict(`Branch "${name}" already exists`);
      throw toAppError(error, `creating branch "${name}"`);
    }
    await this.options.onBranchMoved?.(name);
    return { name, sha: from };
  }

  async deleteBranch(name: string, options: { expectedHead?: string } = {}): Promise<void> {
    validateBranchName(name);
    const head = await this.headOf(name);
    if (!head) throw invalid(`There is no branch "${name}"`, { field: 'branch' });
    if (options.expectedHead && head !== options.expectedHead) {
      throw conflict(`Branch "${name}" moved to ${head.slice(0, 12)}; it was not deleted`);
    }
    await asking(`deleting branch "${name}"`, () => this.client.git.deleteRef({ ...this.where, ref: `heads/${name}` }));
    await this.options.onBranchMoved?.(name);
  }

  async branchContains(branch: string, sha: string): Promise<boolean> {
    if (!COMMIT_ID.test(sha)) return false;
    try {
      const compared = await this.client.repos.compareCommitsWithBasehead({
        ...this.where,
        basehead: `${sha}...${branch}`,
        per_page: 1,
      });
      return compared.data.status === 'identical' || compared.data.status === 'ahead';
    } catch (error) {
      if (isGitHubStatus(error, 404, 422)) return false;
      throw toAppError(error, `checking branch "${branch}"`);
    }
  }

  // ---- changes ------------------------------------------------------------------------------

  async previewChanges(input: ChangeSet): Promise<ChangePreview> {
    const branch = validateBranchName(input.branch);
    const head = await this.headOf(branch);
    const base = head ?? (input.createBranchFrom ? await this.resolve(input.createBranchFrom) : null);
    if (!base)
      throw invalid(`There is no branch "${input.createBranchFrom ?? branch}" to start from`, { field: 'branch' });
    const diff = await this.changesOn(base, input);
    return { branch, baseSha: base, createsBranch: head === null, ...diff };
  }

  /** The per-file diff of writing `input` on commit `base` (what a reviewer reads). */
  private async changesOn(base: string, input: ChangeSet): Promise<Omit<DiffResult, 'baseSha' | 'headSha'>> {
    const files: FileDiff[] = [];
    const patches: string[] = [];
    for (const file of input.files ?? []) {
      const path = validateFilePath(file.path);
      const before = await this.fileAt(base, path);
      const after = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
      if (before && before.equals(after)) continue;
      files.push(fileDiff(path, before, after));
      patches.push(patchOf(path, before, after));
    }
    for (const deleted of input.deletions ?? []) {
      const path = validateFilePath(deleted);
      const before = await this.fileAt(base, path);
      if (!before) throw invalid(`"${path}" does not exist, so it cannot be deleted`, { field: 'deletions' });
      files.push(fileDiff(path, before, null));
      patches.push(patchOf(path, before, null));
    }
    return bounded(files, patches);
  }

  async pushFiles(input: PushFilesInput): Promise<PushResult> {
    const branch = validateBranchName(input.branch);
    const files = (input.files ?? []).map((f) => ({ path: validateFilePath(f.path), content: f.content }));
    const deletions = (input.deletions ?? []).map((p) => validateFilePath(p));
    let head = await this.headOf(branch);
    // The commit the caller's decision (or preview) was made on: the change must be the same on
    // whatever commit this push lands on.
    let reference = input.previewedOn !== undefined ? input.previewedOn : undefined;

    for (let attempt = 1; ; attempt++) {
      if (input.expectedHead !== undefined && head !== input.expectedHead) {
        // A retry of a pinned push: the same change on the same parent with the same dates is the
        // same commit, so an earlier attempt that landed it is recognised rather than refused.
        if (input.acceptLanded && input.commitDate && input.expectedHead !== null && head !== null) {
          const planned = await this.writeCommit(input.expectedHead, files, deletions, input);
          if (planned === head || (await this.branchContains(branch, planned))) {
            return { commitSha: planned, parentSha: input.expectedHead, branch, created: false, landedEarlier: true };
          }
        }
        throw conflict(
          `Branch "${branch}" moved (it is at ${head?.slice(0, 12) ?? 'nothing'}, the push was for ${input.expectedHead?.slice(0, 12) ?? 'a new branch'}); nothing was pushed.`,
        );
      }
      const parent = head ?? (input.createBranchFrom ? await this.resolve(input.createBranchFrom) : null);
      if (!parent)
        throw invalid(`There is no branch "${input.createBranchFrom ?? branch}" to start from`, { field: 'branch' });
      if (reference !== undefined && reference !== null && reference !== parent) {
        await this.assertSameChange(reference, parent, branch, [...files.map((f) => f.path), ...deletions]);
      }
      reference ??= parent;
      const planned = await this.writeCommit(parent, files, deletions, input);
      const result: PushResult = { commitSha: planned, parentSha: parent, branch, created: head === null };
      await input.beforePush?.(result);
      const landed = await this.moveRef(branch, head, planned);
      if (landed) {
        await this.options.onBranchMoved?.(branch);
        return result;
      }
      // Lost a race: someone else moved the branch between our read and our update.
      const now = await this.headOf(branch);
      if (input.acceptLanded && now && (now === planned || (await this.branchContains(branch, planned)))) {
        return { ...result, landedEarlier: true };
      }
      if (input.expectedHead !== undefined || attempt >= PUSH_ATTEMPTS) {
        throw conflict(
          `Branch "${branch}" moved while Aegis was pushing (now at ${now?.slice(0, 12) ?? 'nothing'}); nothing was pushed. Read the branch again and retry.`,
        );
      }
      head = now;
    }
  }

  /** Refuses when the branch moved from `from` to `to` by changes to any of `paths`. */
  private async assertSameChange(from: string, to: string, branch: string, paths: string[]) {
    const compared = await asking(`comparing branch "${branch}"`, () =>
      this.client.repos.compareCommitsWithBasehead({ ...this.where, basehead: `${from}...${to}` }),
    );
    const touched = new Set((compared.data.files ?? []).map((f) => f.filename));
    const overlap = paths.filter((p) => touched.has(p));
    if (overlap.length > 0 || compared.data.status === 'behind' || compared.data.status === 'diverged') {
      throw conflict(
        `Branch "${branch}" moved from ${from.slice(0, 12)} to ${to.slice(0, 12)}` +
          (overlap.length ? `, changing ${overlap.slice(0, 5).join(', ')}` : '') +
          ', so the push would not be the change that was decided on. Nothing was pushed; read the branch again and retry.',
      );
    }
  }

  /** One tree (new files inline, deletions as null) on the parent's tree, and one commit. */
  private async writeCommit(
    parent: string,
    files: { path: string; content: string | Uint8Array }[],
    deletions: string[],
    input: PushFilesInput,
  ): Promise<string> {
    const what = `pushing to "${input.branch}"`;
    const parentCommit = await asking(what, () => this.client.git.getCommit({ ...this.where, commit_sha: parent }));
    const tree: { path: string; mode: '100644'; type: 'blob'; sha?: string | null; content?: string }[] = [];
    for (const file of files) {
      if (typeof file.content === 'string') {
        tree.push({ path: file.path, mode: '100644', type: 'blob', content: file.content });
      } else {
        const blob = await asking(what, () =>
          this.client.git.createBlob({
            ...this.where,
            content: Buffer.from(file.content as Uint8Array).toString('base64'),
            encoding: 'base64',
          }),
        );
        tree.push({ path: file.path, mode: '100644', type: 'blob', sha: blob.data.sha });
      }
    }
    for (const path of deletions) tree.push({ path, mode: '100644', type: 'blob', sha: null });
    const created = await asking(what, () =>
      this.client.git.createTree({ ...this.where, base_tree: parentCommit.data.tree.sha, tree }),
    );
    const date = (input.commitDate ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const committer = this.options.committer ?? input.author;
    const commit = await asking(what, () =>
      this.client.git.createCommit({
        ...this.where,
        message: input.message,
        tree: created.data.sha,
        parents: [parent],
        author: { ...input.author, date },
        committer: { ...committer, date },
      }),
    );
    return commit.data.sha;
  }

  /** A non-forced ref update (or creation); false when another writer got there first. */
  private async moveRef(branch: string, head: string | null, sha: string): Promise<boolean> {
    try {
      if (head === null) await this.client.git.createRef({ ...this.where, ref: `refs/heads/${branch}`, sha });
      else await this.client.git.updateRef({ ...this.where, ref: `heads/${branch}`, sha, force: false });
      return true;
    } catch (error) {
      if (isGitHubStatus(error, 422, 409)) return false;
      throw toAppError(error, `updating branch "${branch}"`);
    }
  }

  async diff(baseRef: string, headRef: string, options: { mergeBase?: boolean } = {}): Promise<DiffResult> {
    void options; // GitHub compares from the merge base (base...head).
    const compared = await asking(`comparing ${baseRef} with ${headRef}`, () =>
      this.client.repos.compareCommitsWithBasehead({ ...this.where, basehead: `${baseRef}...${headRef}` }),
    );
    const data = compared.data;
    const commits = data.commits ?? [];
    const headSha =
      commits.length > 0
        ? commits[commits.length - 1]!.sha
        : ((await this.resolve(headRef)) ?? data.merge_base_commit.sha);
    const files: FileDiff[] = [];
    const patches: string[] = [];
    let truncated = false;
    for (const f of data.files ?? []) {
      const status = f.status === 'added' ? 'added' : f.status === 'removed' ? 'deleted' : 'modified';
      files.push({
        path: f.filename,
        status,
        additions: f.additions,
        deletions: f.deletions,
        binary: f.patch === undefined && f.changes === 0,
        oldMode: null,
        newMode: null,
      });
      if (f.patch === undefined) truncated ||= f.changes > 0;
      const from = status === 'added' ? '/dev/null' : `a/${f.filename}`;
      const to = status === 'deleted' ? '/dev/null' : `b/${f.filename}`;
      patches.push(`diff --git a/${f.filename} b/${f.filename}\n--- ${from}\n+++ ${to}\n${f.patch ?? ''}\n`);
    }
    const result = bounded(files, patches);
    return { baseSha: data.merge_base_commit.sha, headSha, ...result, truncated: result.truncated || truncated };
  }

  // ---- pull requests ------------------------------------------------------------------------

  async createPullRequest(input: CreatePullRequestInput): Promise<PullRequest> {
    const head = validateBranchName(input.head);
    const base = validateBranchName(input.base);
    if (head === base) throw invalid('head and base must be different branches');
    const created = await asking(`opening a pull request from ${head} into ${base}`, () =>
      this.client.pulls.create({ ...this.where, title: input.title, body: input.body, head, base, draft: input.draft }),
    );
    return pullRequestOf(created.data as GitHubPull, input.authorId);
  }

  async listPullRequests(filter: { state?: 'open' | 'closed' | 'all'; head?: string; base?: string } = {}) {
    const pulls = await asking('listing pull requests', () =>
      this.client.pulls.list({
        ...this.where,
        state: filter.state ?? 'all',
        ...(filter.head ? { head: `${this.owner}:${filter.head}` } : {}),
        ...(filter.base ? { base: filter.base } : {}),
        per_page: 100,
      }),
    );
    return pulls.data.map((p) => pullRequestOf(p as GitHubPull, null));
  }

  async getPullRequest(number: number): Promise<PullRequest> {
    const pull = await asking(`reading pull request #${number}`, () =>
      this.client.pulls.get({ ...this.where, pull_number: number }),
    );
    return pullRequestOf(pull.data as GitHubPull, null);
  }

  async updatePullRequest(input: UpdatePullRequestInput): Promise<PullRequest> {
    const updated = await asking(`updating pull request #${input.number}`, () =>
      this.client.pulls.update({
        ...this.where,
        pull_number: input.number,
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.base !== undefined ? { base: validateBranchName(input.base) } : {}),
        ...(input.state !== undefined ? { state: input.state } : {}),
      }),
    );
    return pullRequestOf(updated.data as GitHubPull, null);
  }

  async mergePullRequest(input: MergePullRequestInput): Promise<MergedPullRequest> {
    const method = githubMergeMethod(input.method ?? 'merge');
    const [title, ...rest] = (input.message ?? '').split('\n\n');
    let merged;
    try {
      merged = await this.client.pulls.merge({
        ...this.where,
        pull_number: input.number,
        merge_method: method,
        ...(input.expectedHeadSha ? { sha: input.expectedHeadSha } : {}),
        ...(title ? { commit_title: title } : {}),
        ...(rest.length ? { commit_message: rest.join('\n\n') } : {}),
      });
    } catch (error) {
      if (isGitHubStatus(error, 409)) {
        throw conflict(
          `The head of pull request #${input.number} moved since it was reviewed; nothing was merged. Review the new changes and merge again.`,
        );
      }
      if (isGitHubStatus(error, 405))
        throw conflict(
          `GitHub cannot merge pull request #${input.number} (it is not mergeable: conflicts, or closed).`,
        );
      throw toAppError(error, `merging pull request #${input.number}`);
    }
    const pullRequest = await this.getPullRequest(input.number);
    await this.options.onBranchMoved?.(pullRequest.base);
    return { sha: merged.data.sha, method: input.method ?? 'merge', pullRequest };
  }

  async pullRequestDiff(pullRequest: PullRequest): Promise<DiffResult> {
    if (pullRequest.state === 'merged' && pullRequest.mergeCommitSha) {
      return this.diff(`${pullRequest.mergeCommitSha}~1`, pullRequest.mergeCommitSha);
    }
    return this.diff(pullRequest.base, pullRequest.head);
  }

  async ciStatus(sha: string): Promise<CiStatus> {
    const [checks, combined] = await Promise.all([
      asking('reading check runs', () => this.client.checks.listForRef({ ...this.where, ref: sha, per_page: 100 })),
      asking('reading commit statuses', () =>
        this.client.repos.getCombinedStatusForRef({ ...this.where, ref: sha, per_page: 100 }),
      ),
    ]);
    return combineCiStatus(checks.data.check_runs, combined.data.statuses);
  }

  async hasApprovingReview(number: number): Promise<boolean> {
    const reviews = await asking(`reading the reviews of pull request #${number}`, () =>
      this.client.pulls.listReviews({ ...this.where, pull_number: number, per_page: 100 }),
    );
    // Each reviewer's latest verdict counts; comments do not change it.
    const latest = new Map<string, string>();
    for (const review of reviews.data) {
      if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED' || review.state === 'DISMISSED') {
        latest.set(review.user?.login ?? String(review.id), review.state);
      }
    }
    const verdicts = [...latest.values()];
    return verdicts.includes('APPROVED') && !verdicts.includes('CHANGES_REQUESTED');
  }
}

/**
 * CI from check runs and commit statuses together: failure when any failed, pending while any is
 * not finished (pending is not passed), success when all passed, none when there is nothing.
 */
export function combineCiStatus(
  checkRuns: { status: string; conclusion: string | null }[],
  statuses: { state: string }[],
): CiStatus {
  if (checkRuns.length === 0 && statuses.length === 0) return 'none';
  const failed = ['failure', 'cancelled', 'timed_out', 'action_required', 'startup_failure', 'stale'];
  if (checkRuns.some((r) => r.status === 'completed' && failed.includes(r.conclusion ?? ''))) return 'failure';
  if (statuses.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
  if (checkRuns.some((r) => r.status !== 'completed') || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

function githubMergeMethod(method: MergeMethod): 'merge' | 'squash' | 'rebase' {
  return method === 'fast-forward' ? 'rebase' : method;
}

function pullRequestOf(pull: GitHubPull, authorId: string | null): PullRequest {
  const merged = pull.merged_at !== null;
  return {
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    state: merged ? 'merged' : pull.state === 'open' ? 'open' : 'closed',
    head: pull.head.ref,
    base: pull.base.ref,
    headSha: pull.head.sha,
    url: pull.html_url,
    draft: pull.draft ?? false,
    authorId,
    createdAt: new Date(pull.created_at),
    mergedAt: pull.merged_at ? new Date(pull.merged_at) : null,
    mergeCommitSha: merged ? pull.merge_commit_sha : null,
  };
}

function isText(content: Buffer | null) {
  return content === null || !content.subarray(0, 8000).includes(0);
}

function fileDiff(path: string, before: Buffer | null, after: Buffer | null): FileDiff {
  const status = before === null ? 'added' : after === null ? 'deleted' : 'modified';
  if (!isText(before) || !isText(after)) {
    return { path, status, additions: 0, deletions: 0, binary: true, oldMode: null, newMode: null };
  }
  const patch = structuredPatch(path, path, before?.toString('utf8') ?? '', after?.toString('utf8') ?? '', '', '', {
    context: 0,
  });
  let additions = 0;
  let deletions = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) additions++;
      else if (line.startsWith('-')) deletions++;
    }
  }
  return {
    path,
    status,
    additions,
    deletions,
    binary: false,
    oldMode: before === null ? null : '100644',
    newMode: after === null ? null : '100644',
  };
}

function patchOf(path: string, before: Buffer | null, after: Buffer | null): string {
  const header = `diff --git a/${path} b/${path}\n`;
  if (!isText(before) || !isText(after)) return `${header}Binary files differ\n`;
  const text = createTwoFilesPatch(
    before === null ? '/dev/null' : `a/${path}`,
    after === null ? '/dev/null' : `b/${path}`,
    before?.toString('utf8') ?? '',
    after?.toString('utf8') ?? '',
  );
  // jsdiff starts with an "Index:"-less "===" banner; git's format starts at the --- line.
  return header + text.slice(text.indexOf('---'));
}

function bounded(files: FileDiff[], patches: string[]) {
  let patch = patches.join('');
  let truncated = false;
  if (Buffer.byteLength(patch) > MAX_DIFF_BYTES) {
    patch = Buffer.from(patch).subarray(0, MAX_DIFF_BYTES).toString('utf8');
    truncated = true;
  }
  return {
    filesChanged: files.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    files,
    patch,
    truncated,
  };
}
