// The repository a git room governs, as the rest of Aegis sees it: every read and write goes
// through Aegis's own bare mirror of the remote (never anyone's working tree) and every write
// lands on the remote as a normal, non-forced push.

import { createBranch, deleteBranch, headOf, listBranches } from './branches';
import { checkRemote, type CheckedRemote, type CheckRemoteOptions } from './check-remote';
import { diffPatch, diffStats } from './diff';
import { readLog } from './log';
import { mergeBranches } from './merge';
import { Mirror } from './mirror';
import { previewChanges } from './preview-changes';
import { pushFiles } from './push-files';
import { readPath, validateReadPath } from './read-file';
import type { RemoteConfig } from './remote';
import type {
  Branch,
  ChangePreview,
  ChangeSet,
  CommitInfo,
  DiffResult,
  GitRepositoryOptions,
  MergeInput,
  MergeResult,
  PushFilesInput,
  PushResult,
  ReadResult,
} from './types';
import { validateCommitId, validateRefSyntax } from './update-branch';
import { validateBranchName } from './validate-ref';

// What a commit holds never changes, so reads are cached by (commit id, path): a repeated read
// costs one ref lookup instead of three git processes. Bounded by entries and bytes.
const READ_CACHE_ENTRIES = 512;
const READ_CACHE_MAX_FILE_BYTES = 256 * 1024;

export class GitRepository {
  private readonly mirror: Mirror;
  private readonly readCache = new Map<string, ReadResult>();

  /** Checks the options and the remote URL; touches nothing on disk until the first call. */
  constructor(options: GitRepositoryOptions) {
    this.mirror = new Mirror(options);
  }

  /** Is `remote` reachable and a git repository? Its branches and default branch. */
  static checkRemote(remote: RemoteConfig, options: CheckRemoteOptions): Promise<CheckedRemote> {
    return checkRemote(remote, options);
  }

  /** The remote, as safe to show (no credentials). */
  get displayUrl(): string {
    return this.mirror.remote.displayUrl;
  }

  /** Fetches every branch from the remote into the mirror now (creating the mirror if needed). */
  sync(): Promise<void> {
    return this.mirror.sync();
  }

  listBranches(): Promise<Branch[]> {
    return listBranches(this.mirror);
  }

  /** The commit a branch points at, or null when there is no such branch. */
  headOf(branch: string): Promise<string | null> {
    return headOf(this.mirror, branch);
  }

  /** The remote's default branch (asks the remote), or null for an empty repository. */
  defaultBranch(): Promise<string | null> {
    return this.mirror.remoteDefaultBranch();
  }

  /** A file's content, or a directory's entries ('' or '/' for the root), at a branch or commit. */
  async readFile(ref: string, path: string): Promise<ReadResult> {
    validateRefSyntax(ref, 'ref');
    validateReadPath(path);
    await this.mirror.ensureFresh();
    const commit = await this.mirror.resolveCommit(ref);
    const key = `${commit}\0${path}`;
    const cached = this.readCache.get(key);
    if (cached) return cached;
    const result = await readPath(this.mirror, commit, path, `"${ref}"`);
    if (result.type !== 'file' || result.size <= READ_CACHE_MAX_FILE_BYTES) {
      if (this.readCache.size >= READ_CACHE_ENTRIES) this.readCache.delete(this.readCache.keys().next().value!);
      this.readCache.set(key, result);
    }
    return result;
  }

  /** Creates branch `name` on the remote at `fromRef` (a branch or commit); refuses if it exists. */
  createBranch(name: string, fromRef: string): Promise<Branch> {
    return createBranch(this.mirror, name, fromRef);
  }

  /** Deletes a branch on the remote (not the default branch; only at `expectedHead` if given). */
  deleteBranch(name: string, options?: { expectedHead?: string }): Promise<void> {
    return deleteBranch(this.mirror, name, options);
  }

  /** Does `branch`, fetched now, contain commit `sha`? False when either is unknown. */
  async branchContains(branch: string, sha: string): Promise<boolean> {
    validateBranchName(branch);
    const commit = validateCommitId(sha, 'sha')!;
    await this.mirror.sync();
    const head = await this.mirror.branchHead(branch);
    if (!head) return false;
    // 128: the commit is not in the mirror at all, so the branch cannot contain it.
    const result = await this.mirror.git(['merge-base', '--is-ancestor', commit, head], { okExitCodes: [1, 128] });
    return result.exitCode === 0;
  }

  /** What pushFiles would change, without moving any ref. */
  previewChanges(input: ChangeSet): Promise<ChangePreview> {
    return previewChanges(this.mirror, input);
  }

  /** Writes and deletes files as one commit on a branch and pushes it (never forced). */
  pushFiles(input: PushFilesInput): Promise<PushResult> {
    return pushFiles(this.mirror, input);
  }

  /**
   * What `headRef` changes relative to `baseRef`. By default compared from their merge base,
   * as a pull request shows it; `{ mergeBase: false }` compares the two commits directly.
   */
  async diff(baseRef: string, headRef: string, options: { mergeBase?: boolean } = {}): Promise<DiffResult> {
    validateRefSyntax(baseRef, 'base');
    validateRefSyntax(headRef, 'head');
    await this.mirror.ensureFresh();
    const [base, head] = await Promise.all([this.mirror.resolveCommit(baseRef), this.mirror.resolveCommit(headRef)]);
    let from = base;
    if (options.mergeBase !== false) {
      const mb = await this.mirror.git(['merge-base', base, head], { okExitCodes: [1] });
      if (mb.exitCode === 0) from = mb.stdout.toString('utf8').trim();
    }
    const [stats, patch] = await Promise.all([
      diffStats(this.mirror, from, head),
      diffPatch(this.mirror, from, head, this.mirror.settings.maxDiffBytes),
    ]);
    return { baseSha: from, headSha: head, ...stats, ...patch };
  }

  /** The newest `limit` commits reachable from a branch or commit, newest first. */
  async log(ref: string, limit = 20): Promise<CommitInfo[]> {
    validateRefSyntax(ref, 'ref');
    await this.mirror.ensureFresh();
    const commit = await this.mirror.resolveCommit(ref);
    return readLog(this.mirror, commit, limit);
  }

  /** Merges branch `head` into branch `base` on the remote; returns base's new head. */
  merge(input: MergeInput): Promise<MergeResult> {
    return mergeBranches(this.mirror, input);
  }
}
