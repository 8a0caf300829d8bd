// The remote a mirror talks to: which URLs are accepted, how credentials reach git (through an
// askpass script that reads them from the git process's environment — never a command line or
// a file), and how git's failures to talk to the remote become safe, clear errors.

import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, invalid, isAppError } from '../errors';
import { redactUrl, summariseStderr } from './redact';
import { GitCommandError } from './run-git';

export interface RemoteConfig {
  /** Absolute local path, file://, http(s)://, ssh:// or git:// URL, or scp-like `user@host:path`. */
  url: string;
  username?: string;
  password?: string;
}

export interface ResolvedRemote {
  /** What git is given: never contains a password. */
  url: string;
  /** What Aegis shows in messages: no user-info at all. */
  displayUrl: string;
  /** For local remotes: the directory that should hold the repository. */
  localPath: string | null;
  username?: string;
  password?: string;
}

/** Used as the user name when only a token is given (accepted by GitHub, GitLab, Gitea). */
export const TOKEN_USERNAME = 'x-access-token';

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function resolveRemote(remote: RemoteConfig): ResolvedRemote {
  const raw = remote?.url;
  if (typeof raw !== 'string' || raw.trim() === '')
    throw invalid('The repository URL must not be empty.', { field: 'url' });
  if (CONTROL_CHARS.test(raw))
    throw invalid('The repository URL must not contain control characters.', { field: 'url' });
  if (raw.length > 2048) throw invalid('The repository URL is too long.', { field: 'url' });
  if (raw.startsWith('-')) throw invalid('The repository URL must not start with "-".', { field: 'url' });
  // `<transport>::<address>` runs a remote helper (ext:: would run a command): never.
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw))
    throw invalid('Unsupported repository URL: remote helpers are not allowed.', { field: 'url' });

  const explicitUser = remote.username || undefined;
  const explicitPassword = remote.password || undefined;

  if (raw.startsWith('/')) {
    const localPath = path.resolve(raw);
    return { url: localPath, displayUrl: localPath, localPath, ...creds(explicitUser, explicitPassword) };
  }

  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    let localPath: string;
    try {
      localPath = fileURLToPath(raw);
    } catch {
      throw invalid('Unsupported file:// URL: it must name a local directory.', { field: 'url' });
    }
    return { url: raw, displayUrl: raw, localPath, ...creds(explicitUser, explicitPassword) };
  }

  if (scheme === 'http' || scheme === 'https' || scheme === 'ssh' || scheme === 'git') {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw invalid('The repository URL is not a valid URL.', { field: 'url' });
    }
    if (!parsed.hostname) throw invalid('The repository URL must name a host.', { field: 'url' });
    // git refuses these too (CVE-2017-1000117): they would reach ssh as options.
    if (parsed.hostname.startsWith('-') || safeDecode(parsed.username).startsWith('-')) {
      throw invalid('The repository URL must not have a host or user name starting with "-".', { field: 'url' });
    }
    const urlUser = parsed.username ? safeDecode(parsed.username) : undefined;
    const urlPassword = parsed.password ? safeDecode(parsed.password) : undefined;
    if (scheme === 'http' || scheme === 'https') {
      // Credentials written into the URL move to askpass, so that the URL git sees is clean.
      parsed.username = '';
      parsed.password = '';
      const url = parsed.toString();
      return {
        url,
        displayUrl: url,
        localPath: null,
        ...creds(explicitUser ?? urlUser, explicitPassword ?? urlPassword),
      };
    }
    if (urlPassword || explicitPassword) {
      throw invalid('Passwords are not supported for ssh:// or git:// URLs; use an https:// URL with a token.', {
        field: 'url',
      });
    }
    const display = new URL(parsed.toString());
    display.username = '';
    return { url: parsed.toString(), displayUrl: display.toString(), localPath: null };
  }

  if (scheme) throw invalid(`Unsupported repository URL scheme "${scheme}".`, { field: 'url' });

  // scp-like ssh: [user@]host:path
  const scp = /^(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?([A-Za-z0-9][A-Za-z0-9.-]*):([^:].*)$/.exec(raw);
  if (scp) {
    if (explicitPassword)
      throw invalid('Passwords are not supported for ssh URLs; use an https:// URL with a token.', { field: 'url' });
    return { url: raw, displayUrl: `${scp[2]}:${scp[3]}`, localPath: null };
  }

  throw invalid('Unsupported repository URL: use an absolute path, or a file://, https://, http:// or ssh:// URL.', {
    field: 'url',
  });
}

function creds(username: string | undefined, password: string | undefined): { username?: string; password?: string } {
  if (!username && !password) return {};
  return { username: username ?? TOKEN_USERNAME, password: password ?? '' };
}

const ASKPASS_NAME = 'aegis-askpass.sh';
const ASKPASS_SCRIPT = `#!/bin/sh
# Written by Aegis. git runs it to ask for credentials; it answers from the environment of that
# one git process, so credentials are never on a command line or stored in a file.
case "$1" in
  [Uu]sername*) printf '%s\\n' "$AEGIS_GIT_USERNAME" ;;
  *) printf '%s\\n' "$AEGIS_GIT_PASSWORD" ;;
esac
`;

/** Writes the askpass script into `dir` (once) and returns its path. */
export async function ensureAskpass(dir: string): Promise<string> {
  const file = path.join(dir, ASKPASS_NAME);
  try {
    if ((await fs.readFile(file, 'utf8')) === ASKPASS_SCRIPT) return file;
  } catch {
    // missing: write it below
  }
  const tmp = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(tmp, ASKPASS_SCRIPT, { mode: 0o700 });
  await fs.rename(tmp, file);
  return file;
}

/** Environment that lets git authenticate to the remote (empty when it has no credentials). */
export function credentialEnv(remote: ResolvedRemote, askpassPath: string): Record<string, string> {
  if (remote.username === undefined && remote.password === undefined) return {};
  return {
    GIT_ASKPASS: askpassPath,
    AEGIS_GIT_USERNAME: remote.username ?? '',
    AEGIS_GIT_PASSWORD: remote.password ?? '',
  };
}

export function secretsOf(remote: ResolvedRemote): string[] {
  return remote.password ? [remote.password] : [];
}

export type RemoteFailureKind = 'not_a_repository' | 'authentication' | 'unreachable' | 'other';

/** What went wrong talking to a remote, in words that are safe to show. */
export function describeRemoteFailure(
  error: unknown,
  remote: ResolvedRemote,
): { kind: RemoteFailureKind; message: string } {
  const where = redactUrl(remote.displayUrl);
  if (!(error instanceof GitCommandError)) return { kind: 'other', message: `Cannot reach ${where}.` };
  if (error.timedOut) return { kind: 'unreachable', message: `Cannot reach ${where}: the connection timed out.` };
  const stderr = error.stderr;
  if (
    /does not appear to be a git repository|not a git repository|repository .* not found|Repository not found/i.test(
      stderr,
    )
  ) {
    return {
      kind: 'not_a_repository',
      message: `${where} is not a git repository (or it does not exist, or the credentials cannot see it).`,
    };
  }
  if (
    /Authentication failed|could not read (Username|Password)|terminal prompts disabled|HTTP Basic: Access denied|returned error: 40[13]|Permission denied/i.test(
      stderr,
    )
  ) {
    return {
      kind: 'authentication',
      message: `Authentication to ${where} failed: check the username and password or token.`,
    };
  }
  if (/dubious ownership/i.test(stderr)) {
    return {
      kind: 'not_a_repository',
      message: `${where} belongs to another user and git refuses to read it (safe.directory).`,
    };
  }
  if (
    /Could not resolve host|Connection refused|Connection timed out|Failed to connect|Network is unreachable|No route to host|Operation timed out|Could not read from remote/i.test(
      stderr,
    )
  ) {
    return { kind: 'unreachable', message: `Cannot reach ${where}.` };
  }
  const detail = summariseStderr(stderr, secretsOf(remote));
  return { kind: 'other', message: `Cannot reach ${where}${detail ? `: ${detail}` : '.'}` };
}

/** For repository operations: the remote failing is "unavailable" unless it is plainly wrong. */
export function remoteFailureError(error: unknown, remote: ResolvedRemote): AppError {
  if (isAppError(error)) return error;
  const { kind, message } = describeRemoteFailure(error, remote);
  if (kind === 'not_a_repository' || kind === 'authentication') return invalid(message);
  return new AppError('unavailable', message);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw invalid('The repository URL has a malformed %-escape in its user name or password.', { field: 'url' });
  }
}
