// The shapes lib/git takes and returns: what callers (the gateway's tools, the change-request
// pages) see of a repository, independent of how git produces it.

import type { LocationPolicy } from './location-policy';
import type { RemoteConfig } from './remote';

export type { RemoteConfig };

export interface GitRepositoryOptions {
  /** Directory of Aegis's bare mirror of this repository; created on first use. */
  mirrorDir: string;
  remote: RemoteConfig;
  /** Which locations may be reached; checked again before every command that talks to the remote. */
  locationPolicy: LocationPolicy;
  /**
   * Reads reuse a fetch younger than this (ms); an older one makes a read start a fetch in the
   * background (the read does not wait for it). Writes always fetch first. Default 2000.
   */
  freshnessMs?: number;
  /**
   * A read waits for a fetch when the last one is older than this (ms), e.g. after an idle time.
   * At least freshnessMs. Default 30 000.
   */
  maxStalenessMs?: number;
  /**
   * Awaited after a push Aegis made landed, before the write is acknowledged (e.g. to tell other
   * instances, whose mirrors must not serve the branch as it was). Must not throw.
   */
  onBranchMoved?: (branch: string) => Promise<void>;
  /** Most files (written plus deleted) in one push. Default 100. */
  maxFiles?: number;
  /** Most bytes in one written file. Default 1 MiB. */
  maxFileBytes?: number;
  /** Most bytes written by one push, all files together. Default 10 MiB. */
  maxTotalBytes?: number;
  /** Largest file readFile returns. Default 10 MiB. */
  maxReadBytes?: number;
  /** Unified diff text is cut (and marked truncated) beyond this many bytes. Default 5 MiB. */
  maxDiffBytes?: number;
  /** Attempts at a push that loses a race with another writer. Default 5. */
  pushAttempts?: number;
  /** Timeout of git commands that stay on this machine (ms). Default 30 s. */
  localTimeoutMs?: number;
  /** Timeout of git commands that talk to the remote (ms). Default 120 s. */
  networkTimeoutMs?: number;
  /** Who commits (the author is whoever the call is for). Default: the author. */
  committer?: Person;
}

export interface Person {
  name: string;
  email: string;
}

export interface Branch {
  name: string;
  sha: string;
}

export interface RemoteInfo {
  /** Branch HEAD points at on the remote, or null (empty repository, or not advertised). */
  defaultBranch: string | null;
  branches: Branch[];
}

export interface FileChange {
  /** Path inside the repository, e.g. `src/index.ts`. */
  path: string;
  /** New content: text is written as UTF-8, bytes as they are. */
  content: string | Uint8Array;
}

export interface ChangeSet {
  branch: string;
  files?: FileChange[];
  deletions?: string[];
  /** When the branch does not exist: the branch or commit to start it from. */
  createBranchFrom?: string;
}

export interface PushFilesInput extends ChangeSet {
  message: string;
  author: Person;
  /**
   * Refuse (conflict) unless the branch is at exactly this commit; `null`: unless the branch does
   * not exist yet. Never re-applied on a moved branch.
   */
  expectedHead?: string | null;
  /**
   * Fixes the commit's dates, so the same change on the same parent is the same commit id each
   * time: a retry of a push that may already have landed then pushes that very commit again.
   */
  commitDate?: Date;
  /**
   * With `expectedHead` and `commitDate`: when the branch already contains the exact commit this
   * push makes (an earlier attempt landed it), report it as pushed instead of refusing.
   */
  acceptLanded?: boolean;
  /** Awaited with the commit about to be pushed, before the push starts; throwing stops it. */
  beforePush?: (planned: PushResult) => Promise<void>;
  /**
   * The commit the policy's preview of this push was made on (`ChangePreview.baseSha`). Made on
   * any other commit (the branch moved since), the push goes ahead only if it changes the same
   * files in the same way (status and line counts); otherwise it is refused and nothing is
   * pushed. Without it, the first commit this call makes is the reference.
   */
  previewedOn?: string | null;
}

export interface PushResult {
  commitSha: string;
  /** The commit the new one sits on; null only for the first commit of an empty repository. */
  parentSha: string | null;
  branch: string;
  /** True when this push created the branch. */
  created: boolean;
  /** True when an earlier attempt had already landed this exact commit (see `acceptLanded`). */
  landedEarlier?: boolean;
}

export type TreeEntryType = 'file' | 'directory' | 'symlink' | 'submodule';

export interface TreeEntry {
  name: string;
  path: string;
  type: TreeEntryType;
  /** Blob, tree or (for a submodule) commit id. */
  sha: string;
  /** Bytes, for files and symlinks; null for directories and submodules. */
  size: number | null;
  /** git's file mode: 100644, 100755, 120000, 040000, 160000. */
  mode: string;
}

export interface FileContent {
  type: 'file' | 'symlink';
  path: string;
  sha: string;
  size: number;
  mode: string;
  content: Buffer;
  /** git's heuristic: a NUL byte in the first 8000 bytes. */
  binary: boolean;
}

export interface DirectoryContent {
  type: 'directory';
  /** '' for the root. */
  path: string;
  sha: string;
  entries: TreeEntry[];
}

export interface SubmoduleContent {
  type: 'submodule';
  path: string;
  sha: string;
}

export type ReadResult = FileContent | DirectoryContent | SubmoduleContent;

export type FileChangeStatus = 'added' | 'modified' | 'deleted';

export interface FileDiff {
  path: string;
  status: FileChangeStatus;
  additions: number;
  deletions: number;
  binary: boolean;
  oldMode: string | null;
  newMode: string | null;
}

export interface DiffStats {
  filesChanged: number;
  additions: number;
  deletions: number;
  files: FileDiff[];
}

export interface DiffResult extends DiffStats {
  /** The commit compared from (for a branch diff: the merge base) and the one compared to. */
  baseSha: string;
  headSha: string;
  /** Unified diff (`git diff` format). */
  patch: string;
  /** True when `patch` was cut at maxDiffBytes (the stats are still complete). */
  truncated: boolean;
}

export interface ChangePreview extends DiffStats {
  branch: string;
  /** The commit the changes would sit on (the branch head, or the createBranchFrom commit). */
  baseSha: string | null;
  /** True when the branch does not exist yet and would be created. */
  createsBranch: boolean;
  patch: string;
  truncated: boolean;
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  author: Person & { date: string };
  committer: Person & { date: string };
  /** First line of the message. */
  subject: string;
  message: string;
}

export type MergeMethod = 'merge' | 'squash' | 'fast-forward';

export interface MergeInput {
  /** The branch merged into (it moves). */
  base: string;
  /** The branch merged from. */
  head: string;
  method: MergeMethod;
  /** Message of a merge or squash commit; default `Merge branch '<head>' into <base>`. */
  message?: string;
  author: Person;
  /** Refuse (conflict) unless base is at exactly this commit. */
  expectedBaseSha?: string;
  /** Refuse (conflict) unless head is at exactly this commit. */
  expectedHeadSha?: string;
}

export interface MergeResult {
  /** The base branch's new head. */
  sha: string;
  /** The base branch's head before the merge. */
  previousSha: string;
  /** What actually happened: 'merge' becomes 'fast-forward' when base had nothing of its own. */
  method: MergeMethod;
}
