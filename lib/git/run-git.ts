// The one way Aegis starts git: execFile with an argument array (never a shell), a timeout, a
// bounded output buffer, no terminal prompts, no hooks, and errors whose text has been scrubbed of
// credentials. Git runs isolated from the server's own identity: none of the server's
// configuration (system, global, ~/.gitconfig), credential helpers, ~/.netrc, SSH keys or
// ssh-agent, and no proxies; it may reach a repository only over the one protocol the caller
// admitted for it (see location-policy.ts), so credentials are only ever those given for a room.

import { execFile, type ExecFileException } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { redact, summariseStderr } from './redact';

export const DEFAULT_LOCAL_TIMEOUT_MS = 30_000;
export const DEFAULT_NETWORK_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

// Configuration forced on every git process. Global and system config files are not read at
// all (see baseEnv); these cover what a repository's own config could still switch on.
const FORCED_CONFIG = [
  'core.protectNTFS=true',
  'core.protectHFS=true',
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'core.quotePath=false',
  'credential.helper=',
  'commit.gpgSign=false',
  'gc.autoDetach=false',
  'http.followRedirects=false',
];

// The only variables git inherits from our environment: where programs are, temporary files,
// TLS trust settings and tracing. Everything else — HOME, XDG_CONFIG_HOME, SSH_AUTH_SOCK,
// GIT_SSH_COMMAND, http(s)_proxy, every other GIT_* (GIT_DIR, GIT_CONFIG_*…) — is left out, so
// that nothing of the server's own identity or network setup reaches a repository.
const INHERITED_VARS = [
  'PATH',
  'TMPDIR',
  'TZ',
  'GIT_EXEC_PATH',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
  'GIT_TRACE',
  'GIT_TRACE_PACKET',
  'GIT_CURL_VERBOSE',
];

// ssh is never an allowed protocol (rooms have no SSH keys of their own); should it ever run, it
// gets no configuration, no keys and no agent.
const ISOLATED_SSH =
  'ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityFile=none -o IdentityAgent=none';

const home = globalThis as unknown as { aegisGitHome?: string };

/** An empty, read-only directory that git sees as HOME (no .gitconfig, .netrc or .ssh). */
function emptyHome(): string {
  if (!home.aegisGitHome || !existsSync(home.aegisGitHome)) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aegis-git-home-'));
    chmodSync(dir, 0o500);
    home.aegisGitHome = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return home.aegisGitHome;
}

function buildBaseEnv(homeDir: string): Readonly<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const key of INHERITED_VARS) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  env.HOME = homeDir;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  // No protocol at all unless the caller admitted one for a repository (RunGitOptions.allowProtocol).
  env.GIT_ALLOW_PROTOCOL = '';
  env.GIT_SSH_COMMAND = ISOLATED_SSH;
  env.GIT_LITERAL_PATHSPECS = '1';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  return Object.freeze(env);
}

// The environment is prepared once (per empty HOME) and handed to every process as it is:
// reading process.env for each child costs more than the spawn's own copy of a small object.
const prepared = globalThis as unknown as { aegisGitEnv?: { home: string; env: Readonly<Record<string, string>> } };

/**
 * The environment of every git process, with `extra` (credentials for askpass, GIT_INDEX_FILE,
 * author identity…) on top. Without `extra`, the one prepared object itself.
 */
export function gitEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const homeDir = emptyHome();
  if (prepared.aegisGitEnv?.home !== homeDir) prepared.aegisGitEnv = { home: homeDir, env: buildBaseEnv(homeDir) };
  const base = prepared.aegisGitEnv.env;
  return (extra && Object.keys(extra).length > 0 ? { ...base, ...extra } : base) as NodeJS.ProcessEnv;
}

/** The full argument list of a git process: the forced settings, then `--git-dir`, then `args`. */
export function gitArgs(
  args: readonly string[],
  options: { gitDir?: string; config?: readonly string[] } = {},
): string[] {
  const fullArgs: string[] = [];
  for (const c of FORCED_CONFIG) fullArgs.push('-c', c);
  for (const c of options.config ?? []) fullArgs.push('-c', c);
  if (options.gitDir) fullArgs.push(`--git-dir=${options.gitDir}`);
  fullArgs.push(...args);
  return fullArgs;
}

export interface RunGitOptions {
  /** Working directory of the process. */
  cwd: string;
  /** Bare repository to run in (passed as --git-dir). */
  gitDir?: string;
  /** Extra environment (credentials for askpass, GIT_INDEX_FILE, author identity…). */
  env?: Record<string, string>;
  /** Bytes written to the process's stdin. */
  input?: string | Buffer;
  timeoutMs?: number;
  /** Most bytes of stdout (and of stderr) kept; more is an error unless `truncate` is set. */
  maxBuffer?: number;
  /** On hitting maxBuffer, return what was read so far with `truncated: true` instead of failing. */
  truncate?: boolean;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  /** Strings that must never appear in an error message (passwords, tokens). */
  secrets?: readonly (string | undefined)[];
  /** Extra `-c name=value` settings after the forced ones (a remote's pinned addresses). */
  config?: readonly string[];
  /** The one protocol this process may use to reach a repository: `file`, `https` or `http`. */
  allowProtocol?: 'file' | 'https' | 'http';
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
  truncated: boolean;
}

/**
 * A git process that failed. The message and `stderr` are already redacted; it is not an
 * AppError on purpose: callers translate the failures they understand into safe AppErrors and
 * anything else surfaces as an internal error.
 */
export class GitCommandError extends Error {
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly stdout: Buffer;
  readonly timedOut: boolean;

  constructor(opts: {
    command: string;
    exitCode: number | null;
    stderr: string;
    stdout: Buffer;
    timedOut: boolean;
    reason: string;
  }) {
    super(`git ${opts.command} ${opts.reason}`);
    this.name = 'GitCommandError';
    this.command = opts.command;
    this.exitCode = opts.exitCode;
    this.stderr = opts.stderr;
    this.stdout = opts.stdout;
    this.timedOut = opts.timedOut;
  }
}

/** The git subcommand named in an argument list, for messages (skips leading options). */
function subcommandOf(args: readonly string[]): string {
  return args.find((a) => !a.startsWith('-')) ?? 'git';
}

export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const fullArgs = gitArgs(args, options);

  const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_OUTPUT_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOCAL_TIMEOUT_MS;
  const command = subcommandOf(args);
  const secrets = options.secrets ?? [];

  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      {
        cwd: options.cwd,
        env: gitEnv(
          options.allowProtocol ? { ...options.env, GIT_ALLOW_PROTOCOL: options.allowProtocol } : options.env,
        ),
        encoding: 'buffer',
        maxBuffer,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        windowsHide: true,
      },
      (error: ExecFileException | null, stdout: Buffer, stderrBuf: Buffer) => {
        const stderr = redact(stderrBuf.toString('utf8'), secrets);
        if (!error) {
          resolve({ stdout, stderr, exitCode: 0, truncated: false });
          return;
        }
        if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          if (options.truncate) {
            resolve({ stdout: stdout.subarray(0, maxBuffer), stderr, exitCode: 0, truncated: true });
            return;
          }
          reject(
            new GitCommandError({
              command,
              exitCode: null,
              stderr,
              stdout,
              timedOut: false,
              reason: `produced more than ${maxBuffer} bytes of output`,
            }),
          );
          return;
        }
        if (typeof error.code === 'number') {
          if (options.okExitCodes?.includes(error.code)) {
            resolve({ stdout, stderr, exitCode: error.code, truncated: false });
            return;
          }
          const detail = summariseStderr(stderr, secrets);
          reject(
            new GitCommandError({
              command,
              exitCode: error.code,
              stderr,
              stdout,
              timedOut: false,
              reason: `failed (exit ${error.code})${detail ? `: ${detail}` : ''}`,
            }),
          );
          return;
        }
        if (error.killed || error.signal) {
          reject(
            new GitCommandError({
              command,
              exitCode: null,
              stderr,
              stdout,
              timedOut: true,
              reason: `timed out after ${timeoutMs} ms`,
            }),
          );
          return;
        }
        // Spawn failures (git missing, bad cwd): the message names paths, not secrets.
        reject(
          new GitCommandError({
            command,
            exitCode: null,
            stderr,
            stdout,
            timedOut: false,
            reason: `could not run: ${redact(error.message, secrets)}`,
          }),
        );
      },
    );
    // git may exit before reading all of its input; that is reported through the exit code.
    child.stdin?.on('error', () => {});
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** stdout as text without the trailing newline. */
export function text(result: GitResult): string {
  return result.stdout.toString('utf8').replace(/\n$/, '');
}
