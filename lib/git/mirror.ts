// Aegis's bare mirror of one remote repository: creating it, fetching into it (coalesced; for
// reads, in the background), resolving branches and commits in it, pushing from it (never
// forced), and the per-branch locks that make writers to one branch take turns. The operation
// modules (push-files.ts, merge.ts, …) all work through this class.
//
// The hot path of a read starts no git process: the branch heads are held in memory (loaded once,
// replaced after every fetch, updated by every push Aegis makes), objects come from one
// long-lived `git cat-file` per mirror (object-reader.ts), and a read whose data is older than the
// freshness window starts a fetch in the background instead of waiting for it. A read waits for a
// fetch only when it must: the first read, after a long idle time (maxStalenessMs), and after a
// failed fetch or a push the remote refused (then the fetch's failure is the read's error:
// possibly stale data is never served as current).

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
import { ObjectReader } from './object-reader';
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
  maxStalenessMs: number;
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
    maxStalenessMs: Math.max(
      positive('freshnessMs', options.freshnessMs, 2000),
      positive('maxStalenessMs', options.maxStalenessMs, 30_000),
    ),
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
  /** Fetches and ref updates, one at a time (a fetch must not put back a head a push replaced). */
  refQueue: SerialQueue;
  pendingFetch: Promise<void> | null;
  /** A fetch started in the background by a read, which nobody waits for. */
  backgroundFetch: Promise<void> | null;
  /** When the last successful fetch started. */
  lastFetchAt: number;
  /**
   * Bumped when the mirror may be behind the remote in a way reads must not ignore (a failed
   * fetch, a refused push); a fetch that started at `epoch` clears it by setting `fetchedEpoch`.
   */
  epoch: number;
  fetchedEpoch: number;
  /** Branch name → head, as in the mirror's refs/heads; null until loaded. */
  refs: Map<string, string> | null;
  /** `refs` sorted by name, built on demand. */
  branchList: { name: string; sha: string }[] | null;
  objects: ObjectReader | null;
  branchLocks: KeyedMutex;
  /** Trees built for a push on a given parent (see build-tree.ts), newest last. */
  builtTrees: Map<string, string>;
}

const sharedStates = new Map<string, SharedState>();

/**
 * Makes the next read of the mirror in `dir` wait for a fetch: another Aegis instance moved a
 * branch of its repository, and a write Aegis acknowledged must not be read as older.
 */
export function markMirrorStale(dir: string): void {
  const state = sharedStates.get(path.resolve(dir));
  if (state) state.epoch++;
}

/** markMirrorStale for every mirror of this process (when such news may have been missed). */
export function markAllMirrorsStale(): void {
  for (const state of sharedStates.values()) state.epoch++;
}

function sharedState(dir: string): SharedState {
  let state = sharedStates.get(dir);
  if (!state) {
    state = {
      init: null,
      refQueue: new SerialQueue(),
      pendingFetch: null,
      backgroundFetch: null,
      lastFetchAt: -Infinity,
      epoch: 1,
      fetchedEpoch: 0,
      refs: null,
      branchList: null,
      objects: null,
      branchLocks: new KeyedMutex(),
      builtTrees: new Map(),
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
  private readonly onBranchMoved: GitRepositoryOptions['onBranchMoved'];

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
    this.onBranchMoved = options.onBranchMoved;
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
   * Trees already built from a set of changes on a parent commit, by key (build-tree.ts): the
   * preview the policy decided on is the tree that is committed, without building it twice.
   */
  get builtTrees(): Map<string, string> {
    return this.state.builtTrees;
  }

  /** The long-lived object reader of this mirror (started on first use). */
  objects(): ObjectReader {
    return (this.state.objects ??= new ObjectReader({ gitDir: this.dir, timeoutMs: this.settings.localTimeoutMs }));
  }

  /**
   * Fetches every branch of the remote into the mirror (pruning deleted ones) and reloads the
   * branch heads held in memory. Callers that arrive while a fetch is queued but not yet started
   * share it; one that is already running is not shared, because it may have read the remote
   * before the caller's request.
   */
  sync(): Promise<void> {
    const state = this.state;
    if (state.pendingFetch) return state.pendingFetch;
    const fetch: Promise<void> = state.refQueue.enqueue(async () => {
      if (state.pendingFetch === fetch) state.pendingFetch = null;
      const startedAt = Date.now();
      const epoch = state.epoch;
      try {
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
        await this.loadRefs();
      } catch (error) {
        // Until a fetch succeeds, reads wait for one (and fail with its error) rather than serve
        // what may be stale.
        state.epoch++;
        throw error;
      }
      state.lastFetchAt = startedAt;
      state.fetchedEpoch = Math.max(state.fetchedEpoch, epoch);
    });
    state.pendingFetch = fetch;
    return fetch;
  }

  /**
   * For reads: returns at once while the last fetch is recent enough, starting one in the
   * background once it is older than the freshness window; waits for a fetch when there has been
   * none, the last one is older than maxStalenessMs, or one failed or a push was refused since.
   */
  async ensureFresh(): Promise<void> {
    const state = this.state;
    if (state.refs !== null && state.fetchedEpoch >= state.epoch) {
      const age = Date.now() - state.lastFetchAt;
      if (age < this.settings.freshnessMs) return;
      if (age < this.settings.maxStalenessMs) {
        this.refreshInBackground();
        return;
      }
    }
    await this.sync();
  }

  /** Starts a fetch nobody waits for, unless one is already under way. */
  private refreshInBackground(): void {
    const state = this.state;
    if (state.backgroundFetch || state.pendingFetch) return;
    const fetch = this.sync()
      // The failure is kept in the state: the next read waits for a fetch and reports it.
      .catch(() => undefined)
      .finally(() => {
        if (state.backgroundFetch === fetch) state.backgroundFetch = null;
      });
    state.backgroundFetch = fetch;
  }

  /** Make the next read wait for a fetch (the remote is known to have moved). */
  markStale(): void {
    this.state.epoch++;
  }

  /** Reads refs/heads of the mirror into memory (in the ref queue, or during init). */
  private async loadRefs(): Promise<void> {
    const out = text(await this.git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']));
    const refs = new Map<string, string>();
    if (out) {
      for (const line of out.split('\n')) {
        const space = line.indexOf(' ');
        refs.set(line.slice(space + 1).replace(/^refs\/heads\//, ''), line.slice(0, space));
      }
    }
    this.state.refs = refs;
    this.state.branchList = null;
  }

  private async refs(): Promise<Map<string, string>> {
    await this.ensureInit();
    if (this.state.refs === null) {
      await this.state.refQueue.enqueue(async () => {
        if (this.state.refs === null) await this.loadRefs();
      });
    }
    return this.state.refs!;
  }

  /** The mirror's head of a branch (no fetch), or null. */
  async branchHead(branch: string): Promise<string | null> {
    const refs = this.state.refs ?? (await this.refs());
    return refs.get(branch) ?? null;
  }

  /** The mirror's branches, sorted by name (no fetch). */
  async listBranches(): Promise<{ name: string; sha: string }[]> {
    const refs = this.state.refs ?? (await this.refs());
    if (!this.state.branchList || this.state.refs !== refs) {
      // git's order: by the bytes of the name.
      const list = [...refs].map(([name, sha]) => ({ name, sha, key: Buffer.from(name, 'utf8') }));
      list.sort((a, b) => Buffer.compare(a.key, b.key));
      this.state.branchList = list.map(({ name, sha }) => ({ name, sha }));
    }
    return this.state.branchList.map((b) => ({ ...b }));
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
      await this.ensureInit();
      // Only hexadecimal digits reach the object reader, so it sees an object name and nothing else.
      const commit = await this.objects().info(`${ref.toLowerCase()}^{commit}`);
      if (commit) return commit.oid;
    }
    throw notFound(`No ${what} "${ref}" in the repository.`);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const result = await this.git(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] });
    return result.exitCode === 0;
  }

  /**
   * Moves `branch` on the remote from `from` (null: absent) to `to`, only if it is still at
   * `from` there: the lease makes the remote compare and swap atomically, so a branch someone
   * else moved is refused (a race) rather than fetched beforehand. Callers make `to` a
   * descendant of `from` (update-branch.ts checks it), so this is always a fast-forward.
   */
  pushUpdate(branch: string, from: string | null, to: string): Promise<PushOutcome> {
    return this.push(`${to}:refs/heads/${branch}`, { lease: `refs/heads/${branch}:${from ?? ''}` });
  }

  /** The parents of a commit in the mirror (through the long-lived object reader). */
  async commitParents(sha: string): Promise<string[]> {
    await this.ensureInit();
    const commit = await this.objects().read(sha);
    if (!commit || commit.type !== 'commit' || !commit.content) throw new Error(`${sha} is not a commit in the mirror`);
    const header = commit.content.toString('utf8', 0, commit.content.indexOf('\n\n'));
    return [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]);
  }

  /**
   * Pushes one refspec to the remote — never forced — and reports how the remote took it.
   * `lease` (`<ref>:<expected sha or empty for "must not exist">`) adds a compare-and-swap and
   * nothing else: it is only used for creating and deleting branches, which are no
   * fast-forwards, and for updates to a descendant of the expected sha (pushUpdate), so it
   * cannot make git overwrite anything.
   */
  async push(refspec: string, options: { lease?: string } = {}): Promise<PushOutcome> {
    const dst = refspec.slice(refspec.lastIndexOf(':') + 1);
    const args = ['push', '--porcelain', '--no-verify', '--no-follow-tags', '--no-recurse-submodules'];
    if (options.lease !== undefined) args.push(`--force-with-lease=${options.lease}`);
    let result: GitResult;
    try {
      result = await this.gitRemote((url) => [...args, '--', url, refspec], { okExitCodes: [1] });
    } catch (error) {
      // The push may or may not have landed: reads wait for a fetch that says.
      this.markStale();
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
   * Records a branch head the remote just accepted, in the mirror and in memory, so reads see it
   * at once. Queued behind any running fetch, which might otherwise put back the head it read
   * before the push.
   */
  async recordBranchHead(branch: string, sha: string | null): Promise<void> {
    const queue = this.state.refQueue;
    await queue.enqueue(async () => {
      const refs = this.state.refs;
      if (refs) {
        if (sha) refs.set(branch, sha);
        else refs.delete(branch);
        this.state.branchList = null;
      }
    });
    // The mirror's own ref (which keeps the commit reachable) is written next in the same queue,
    // so no fetch can come between; nobody needs to wait for it, as reads use the heads in memory.
    void queue
      .enqueue(() => {
        const ref = `refs/heads/${branch}`;
        return this.git(sha ? ['update-ref', '--no-deref', ref, sha] : ['update-ref', '--no-deref', '-d', ref]);
      })
      .catch(() => this.markStale());
    await this.onBranchMoved?.(branch);
  }

  /** Runs `fn` while holding this mirror's lock on `branch` (FIFO, in this process). */
  withBranchLock<T>(branch: string, fn: () => Promise<T>): Promise<T> {
    return this.state.branchLocks.run(branch, fn);
  }

  /**
   * In one round trip: the branch HEAD points at on the remote (or null) and where `branch` is
   * there now (or null).
   */
  async remoteHeads(branch: string): Promise<{ defaultBranch: string | null; head: string | null }> {
    let result: GitResult;
    try {
      result = await this.gitRemote((url) => ['ls-remote', '--symref', '--', url, 'HEAD', `refs/heads/${branch}`]);
    } catch (error) {
      throw remoteFailureError(error, this.remote);
    }
    const out = result.stdout.toString('utf8');
    const defaultBranch = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out)?.[1] ?? null;
    const ref = `refs/heads/${branch}`;
    const line = out.split('\n').find((l) => l.slice(l.indexOf('\t') + 1) === ref && /^[0-9a-f]{40,64}\t/.test(l));
    return { defaultBranch, head: line ? line.slice(0, line.indexOf('\t')) : null };
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
