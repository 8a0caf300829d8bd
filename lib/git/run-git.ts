// The one way Aegis starts git: execFile with an argument array (never a shell), a timeout, a
// bounded output buffer, no terminal prompts, no system/global configuration, no hooks, only
// the transports Aegis supports, and errors whose text has been scrubbed of credentials.

import { execFile, type ExecFileException } from 'node:child_process';
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
];

// Environment variables from our own environment that git may keep: how to reach ssh, TLS
// settings and tracing. Every other GIT_* variable (GIT_DIR, GIT_INDEX_FILE, GIT_CONFIG_*…) is
// dropped so that nothing inherited can redirect a command.
const INHERITED_GIT_VARS = new Set([
  'GIT_EXEC_PATH',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_SSH_VARIANT',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'GIT_TRACE',
  'GIT_TRACE_PACKET',
  'GIT_CURL_VERBOSE',
]);

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('GIT_') && !INHERITED_GIT_VARS.has(key)) continue;
    if (key === 'SSH_ASKPASS') continue;
    env[key] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_CONFIG_GLOBAL = '/dev/null';
  env.GIT_ALLOW_PROTOCOL = 'file:git:http:https:ssh';
  env.GIT_LITERAL_PATHSPECS = '1';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  if (!env.GIT_SSH_COMMAND && !env.GIT_SSH) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  return env;
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
  const fullArgs: string[] = [];
  for (const c of FORCED_CONFIG) fullArgs.push('-c', c);
  if (options.gitDir) fullArgs.push(`--git-dir=${options.gitDir}`);
  fullArgs.push(...args);

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
        env: { ...baseEnv(), ...options.env } as NodeJS.ProcessEnv,
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
