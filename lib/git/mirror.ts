// Aegis's bare mirror of one remote repository: creating it, fetching into it (coalesced, with
// a freshness window for reads), resolving branches and commits in it, pushing from it (never
// forced), and the per-branch locks that make writers to one branch take turns. The operation
// modules (push-files.ts, merge.ts, …) all work through this class.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError, invalid, notFound } from '../errors';
import {
  admitLocation,
  isLocationRefusal,
  LOCATION_REFUSED_MESSAGE,
  type AdmittedLocation,
  type LocationPolicy,
} from './location-policy';
import { KeyedMutex, SerialQueue } from './locks';
import { summariseStderr } from './redact';
import {
  credentialEnv,
  ensureAskpass,
  remoteFailureError,
  resolveRemote,
  secretsOf,
  type ResolvedRemote,
} from './remote';
import {
  DEFAULT_LOCAL_TIMEOUT_MS,
  DEFAULT_NETWORK_TIMEOUT_MS,
  GitCommandError,
  runGit,
  text,
  type GitResult,
  type RunGitOptions,
} from './run-git';
import type { GitRepositoryOptions, Person } from './types';
import { branchNameProblem, isValidBranchName } from './validate-ref';

const MiB = 1024 * 1024;
const ADMISSION_TTL_MS = 60_000;

export interface MirrorSettings {
  freshnessMs: number;
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  maxReadBytes: number;
  maxDiffBytes: number;
  pushAttempts: number;
  localTimeoutMs: number;
  networkTimeoutMs: number;
  committer: Person | undefined;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a non-negative number`);
  return value;
}

export function settingsFrom(options: GitRepositoryOptions): MirrorSettings {
  return {
    freshnessMs: positive('freshnessMs', options.freshnessMs, 2000),
    maxFiles: positive('maxFiles', options.maxFiles, 100),
    maxFileBytes: positive('maxFileBytes', options.maxFileBytes, 1 * MiB),
    maxTotalBytes: positive('maxTotalBytes', options.maxTotalBytes, 10 * MiB),
    maxReadBytes: positive('maxReadBytes', options.maxReadBytes, 10 * MiB),
    maxDiffBytes: positive('maxDiffBytes', options.maxDiffBytes, 5 * MiB),
    pushAttempts: Math.max(1, positive('pushAttempts', options.pushAttempts, 5)),
    localTimeoutMs: positive('localTimeoutMs', options.localTimeoutMs, DEFAULT_LOCAL_TIMEOUT_MS),
    networkTimeoutMs: positive('networkTimeoutMs', options.networkTimeoutMs, DEFAULT_NETWORK_TIMEOUT_MS),
    committer: options.committer,
  };
}

// State shared by every Mirror object on the same directory in this process, so that two
// objects for one repository still fetch one at a time and lock the same branches.
interface SharedState {
  init: Promise<void> | null;
  refQueue: SerialQueue;
  pendingFetch: Promise<void> | null;
  lastFetchAt: number;
  branchLocks: KeyedMutex;
}

const sharedStates = new Map<string, SharedState>();

function sharedState(dir: string): SharedState {
  let state = sharedStates.get(dir);
  if (!state) {
    state = {
      init: null,
      refQueue: new SerialQueue(),
      pendingFetch: null,
      lastFetchAt: -Infinity,
      branchLocks: new KeyedMutex(),
    };
    sharedStates.set(dir, state);
  }
  return state;
}

export type PushOutcome =
  { ok: true; flag: 'updated' | 'created' | 'deleted' | 'up-to-date' } | { ok: false; reason: string; race: boolean };

// Rejections that mean "the remote ref is not what we based this on": fetch and try again.
const RACE_REASONS =
  /non-fast-forward|fetch first|stale info|failed to update ref|failed to delete|failed to lock|cannot lock ref|incorrect old value|is at .* but expected/i;

export class Mirror {
  readonly dir: string;
  readonly auxDir: string;
  readonly remote: ResolvedRemote;
  readonly settings: MirrorSettings;
  private readonly policy: LocationPolicy;
  private readonly state: SharedState;
  private admission: { location: AdmittedLocation; at: number } | null = null;

  constructor(options: GitRepositoryOptions) {
    if (!options || typeof options.mirrorDir !== 'string' || !path.isAbsolute(options.mirrorDir)) {
      throw new TypeError('mirrorDir must be an absolute path');
    }
    // Scratch files under it are handed to git one per line.
    if (/[\u0000-\u001f\u007f]/.test(options.mirrorDir))
      throw new TypeError('mirrorDir must not contain control characters');
    this.dir = path.resolve(options.mirrorDir);
    this.auxDir = path.join(this.dir, 'aegis');
    this.remote = resolveRemote(options.remote);
    if (!options.locationPolicy) throw new TypeError('locationPolicy is required');
    this.policy = options.locationPolicy;
    this.settings = settingsFrom(options);
    this.state = sharedState(this.dir);
  }

  /** A git command on the mirror that does not talk to the remote. */
  git(args: readonly string[], extra: Partial<RunGitOptions> = {}): Promise<GitResult> {
    return runGit(args, {
      cwd: this.dir,
      gitDir: this.dir,
      timeoutMs: this.settings.localTimeoutMs,
      secrets: secretsOf(this.remote),
      ...extra,
    });
  }

  /**
   * A git command that talks to the remote: the location is admitted by the policy first (for a
   * URL, its host resolved and checked, and git pinned to the checked addresses), the command gets
   * the admitted address as `url`, and credentials travel in its environment only.
   */
  async gitRemote(args: (url: string) => readonly string[], extra: Partial<RunGitOptions> = {}): Promise<GitResult> {
    await this.ensureInit();
    const location = await this.admitted();
    const env = this.remote.username !== undefined ? credentialEnv(this.remote, await ensureAskpass(this.auxDir)) : {};
    return this.git(args(location.gitUrl), {
      timeoutMs: this.settings.networkTimeoutMs,
      ...extra,
      config: location.config,
      allowProtocol: location.protocol,
      env: { ...env, ...extra.env },
    });
  }

  /**
   * The remote as the policy admits it now. A local path is checked every time (a few stat
   * calls); a URL's resolved addresses are reused for a minute, which only delays noticing a
   * legitimate DNS change: git is pinned to the checked addresses either way.
   */
  private async admitted(): Promise<AdmittedLocation> {
    const cached = this.admission;
    if (cached && this.remote.localPath === null && Date.now() - cached.at < ADMISSION_TTL_MS) return cached.location;
    let location: AdmittedLocation;
    try {
      location = await admitLocation(this.remote, this.policy);
    } catch (error) {
      this.admission = null;
      // The operator may have narrowed the policy since the room was created.
      if (isLocationRefusal(error)) throw new AppError('unavailable', LOCATION_REFUSED_MESSAGE);
      throw error;
    }
    this.admission = { location, at: Date.now() };
    return location;
  }

  /** Creates the bare mirror on first use (shared by concurrent callers). */
  ensureInit(): Promise<void> {
    if (!this.state.init) {
      this.state.init = this.init().catch((error) => {
        this.state.init = null;
        throw error;
      });
    }
    return this.state.init;
  }

  private async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const hasHead = await fs
      .stat(path.join(this.dir, 'HEAD'))
      .then(() => true)
      .catch(() => false);
    if (!hasHead) {
      const entries = await fs.readdir(this.dir);
      if (entries.length > 0) {
        throw new AppError('internal', 'The mirror directory is not empty and is not a git repository.');
      }
      await runGit(['init', '--bare', '--quiet', '--initial-branch=main', '--', this.dir], {
        cwd: this.dir,
        timeoutMs: this.settings.localTimeoutMs,
      });
      // Reflogs and background gc are of no use to a mirror that is rebuilt by fetching.
      await this.git(['config', 'core.logAllRefUpdates', 'false']);
      await this.git(['config', 'gc.autoDetach', 'false']);
    } else {
      const bare = text(await this.git(['rev-parse', '--is-bare-repository']));
      if (bare !== 'true') throw new AppError('internal', 'The mirror directory is not a bare git repository.');
    }
    await fs.mkdir(this.auxDir, { recursive: true, mode: 0o700 });
  }

  /**
   * Fetches every branch of the remote into the mirror (pruning deleted ones). Callers that
   * arrive while a fetch is queued but not yet started share it; one that is already running
   * is not shared, because it may have read the remote before the caller's request.
   */
  sync(): Promise<void> {
    const state = this.state;
    if (state.pendingFetch) return state.pendingFetch;
    const fetch: Promise<void> = state.refQueue.enqueue(async () => {
      if (state.pendingFetch === fetch) state.pendingFetch = null;
      const startedAt = Date.now();
      await this.ensureInit();
      try {
        await this.gitRemote((url) => [
          'fetch',
          '--prune',
          '--no-tags',
          '--no-write-fetch-head',
          '--no-auto-gc',
          '--no-recurse-submodules',
          '--quiet',
          '--',
          url,
          '+refs/heads/*:refs/heads/*',
        ]);
      } catch (error) {
        throw remoteFailureError(error, this.remote);
      }
      state.lastFetchAt = startedAt;
    });
    state.pendingFetch = fetch;
    return fetch;
  }

  /** Fetches unless the last fetch started within the freshness window (for reads). */
  async ensureFresh(): Promise<void> {
    if (Date.now() - this.state.lastFetchAt < this.settings.freshnessMs) return;
    await this.sync();
  }

  /** Forget the last fetch so the next read fetches again. */
  markStale(): void {
    this.state.lastFetchAt = -Infinity;
  }

  /** The mirror's head of a branch (no fetch), or null. */
  async branchHead(branch: string): Promise<string | null> {
    await this.ensureInit();
    // show-ref --verify matches the exact ref name, with none of rev-parse's guessing.
    const result = await this.git(['show-ref', '--verify', '--hash', '--', `refs/heads/${branch}`], {
      okExitCodes: [1, 128],
    });
    return result.exitCode === 0 ? text(result) : null;
  }

  async listBranches(): Promise<{ name: string; sha: string }[]> {
    await this.ensureInit();
    const out = text(await this.git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']));
    if (!out) return [];
    return out.split('\n').map((line) => {
      const space = line.indexOf(' ');
      return { sha: line.slice(0, space), name: line.slice(space + 1).replace(/^refs\/heads\//, '') };
    });
  }

  /**
   * A branch name or a (possibly abbreviated) commit id, resolved in the mirror to a full
   * commit id. Throws `invalid` for something that is neither, `notFound` when absent.
   */
  async resolveCommit(ref: string, what = 'branch or commit'): Promise<string> {
    if (typeof ref !== 'string' || ref === '') throw invalid(`A ${what} is required.`);
    const looksLikeSha = /^[0-9a-f]{4,64}$/i.test(ref);
    if (isValidBranchName(ref)) {
      const head = await this.branchHead(ref);
      if (head) return head;
    } else if (!looksLikeSha) {
      throw invalid(`Invalid ${what} "${ref.slice(0, 100)}": it ${branchNameProblem(ref)}.`);
    }
    if (looksLikeSha) {
      const result = await this.git(
        ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref.toLowerCase()}^{commit}`],
        {
          okExitCodes: [1, 128],
        },
      );
      if (result.exitCode === 0) return text(result);
    }
    throw notFound(`No ${what} "${ref}" in the repository.`);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.git(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] });
    return result.exitCode === 0;
  }

  /**
   * Pushes one refspec to the remote — never forced — and reports how the remote took it.
   * `lease` (`<ref>:<expected sha or empty for "must not exist">`) is only used for creating
   * and deleting branches, where it adds a compare-and-swap and nothing else: neither needs
   * to be a fast-forward, so the lease cannot make git overwrite anything.
   */
  async push(refspec: string, options: { lease?: string } = {}): Promise<PushOutcome> {
    const dst = refspec.slice(refspec.lastIndexOf(':') + 1);
    const args = ['push', '--porcelain', '--no-verify', '--no-follow-tags', '--no-recurse-submodules'];
    if (options.lease !== undefined) args.push(`--force-with-lease=${options.lease}`);
    let result: GitResult;
    try {
      result = await this.gitRemote((url) => [...args, '--', url, refspec], { okExitCodes: [1] });
    } catch (error) {
      throw remoteFailureError(error, this.remote);
    }
    const line = result.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(l))
      .find((m) => m && m[2].slice(m[2].lastIndexOf(':') + 1) === dst);
    if (!line) {
      // No verdict on our ref: git could not talk to the remote at all.
      throw remoteFailureError(
        new GitCommandError({
          command: 'push',
          exitCode: result.exitCode,
          stderr: result.stderr,
          stdout: result.stdout,
          timedOut: false,
          reason: 'failed',
        }),
        this.remote,
      );
    }
    const [, flag, , summary] = line;
    switch (flag) {
      case ' ':
      case '+':
        return { ok: true, flag: 'updated' };
      case '*':
        return { ok: true, flag: 'created' };
      case '-':
        return { ok: true, flag: 'deleted' };
      case '=':
        return { ok: true, flag: 'up-to-date' };
      default: {
        const reason = summariseStderr(summary, secretsOf(this.remote)) || 'rejected';
        return { ok: false, reason, race: RACE_REASONS.test(summary) };
      }
    }
  }

  /**
   * Records a branch head the remote just accepted, so reads see it at once. Queued behind
   * any running fetch, which might otherwise put back the head it read before the push.
   */
  recordBranchHead(branch: string, sha: string | null): Promise<void> {
    return this.state.refQueue
      .enqueue(async () => {
        const ref = `refs/heads/${branch}`;
        await this.git(sha ? ['update-ref', '--no-deref', ref, sha] : ['update-ref', '--no-deref', '-d', ref]);
      })
      .catch(() => this.markStale());
  }

  /** Runs `fn` while holding this mirror's lock on `branch` (FIFO, in this process). */
  withBranchLock<T>(branch: string, fn: () => Promise<T>): Promise<T> {
    return this.state.branchLocks.run(branch, fn);
  }

  /** Runs `fn` with a private, empty index file that is removed afterwards. */
  async withTemporaryIndex<T>(fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
    await this.ensureInit();
    const file = path.join(this.auxDir, `index-${randomUUID()}`);
    try {
      return await fn({ GIT_INDEX_FILE: file });
    } finally {
      await fs.rm(file, { force: true });
      await fs.rm(`${file}.lock`, { force: true });
    }
  }

  /** The branch HEAD points at on the remote (one round trip), or null. */
  async remoteDefaultBranch(): Promise<string | null> {
    let result: GitResult;
    try {
      result = await this.gitRemote((url) => ['ls-remote', '--symref', '--', url, 'HEAD']);
    } catch (error) {
      throw remoteFailureError(error, this.remote);
    }
    const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(result.stdout.toString('utf8'));
    return match ? match[1] : null;
  }
}
