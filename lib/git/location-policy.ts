// Which repository locations Aegis may touch, decided by the operator rather than by whoever
// creates a room: local repositories only under the configured roots (after resolving symlinks
// and `..`), never Aegis's own data directory; remote repositories only over the allowed schemes
// and, unless private networks are allowed, only at public addresses — pinned, so that git
// connects to exactly the addresses that were checked. Every refusal is one and the same error,
// so that nobody can learn from it what exists on the server or its network.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, invalid } from '../errors';
import { resolveAllowedHost, type HostLookup } from '../network/public-address';
import { resolveRemote, type RemoteConfig, type ResolvedRemote } from './remote';
import { runGit, text } from './run-git';

export const SUPPORTED_REMOTE_SCHEMES = ['https', 'http'] as const;
export type RemoteScheme = (typeof SUPPORTED_REMOTE_SCHEMES)[number];

export interface LocationPolicy {
  /** Directories under which local repositories may live (AEGIS_REPOSITORY_ROOTS). */
  repositoryRoots: readonly string[];
  /** Directories that are never a repository, even under a root (Aegis's data directory). */
  forbiddenPaths: readonly string[];
  /** Schemes remote URLs may use (AEGIS_REMOTE_SCHEMES). */
  remoteSchemes: readonly RemoteScheme[];
  /** AEGIS_ALLOW_PRIVATE_NETWORKS. */
  allowPrivateNetworks: boolean;
  /** Name resolution (the system's by default; tests pass their own). */
  lookup?: HostLookup;
}

export interface AdmittedLocation {
  /** What git is given: the real path of the git directory, or the URL without credentials. */
  gitUrl: string;
  /** The repository's identity, to compare rooms' locations: `local:<real path>` or `remote://host/path`. */
  key: string;
  /** The one protocol git may use to reach it (GIT_ALLOW_PROTOCOL). */
  protocol: 'file' | RemoteScheme;
  /** `-c` configuration for git: the pinned addresses, no redirects. */
  config: string[];
}

export const LOCATION_REFUSED_MESSAGE =
  'Aegis cannot use this repository location: it does not exist, cannot be reached, or is not one this ' +
  'server allows (local paths must be under AEGIS_REPOSITORY_ROOTS; remote URLs must use a scheme in ' +
  'AEGIS_REMOTE_SCHEMES and a public address).';

/** The one error for every refused location, whatever the reason. */
export function locationRefused(): AppError {
  return invalid(LOCATION_REFUSED_MESSAGE, { field: 'url', refused: true });
}

export function isLocationRefusal(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'invalid_input' &&
    (error as AppError).details?.refused === true
  );
}

/**
 * Parses `remote` and admits it under `policy`. A URL whose form is not an allowed one (another
 * scheme, scp-like ssh, a remote helper) is refused like any other location; malformed input
 * (control characters, an unparseable URL) keeps resolveRemote's specific message.
 */
export async function admitRemote(
  remote: RemoteConfig,
  policy: LocationPolicy,
): Promise<{ resolved: ResolvedRemote; admitted: AdmittedLocation }> {
  const raw = typeof remote?.url === 'string' ? remote.url.trim() : '';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  const allowedForm =
    raw === '' ||
    raw.startsWith('/') ||
    scheme === 'file' ||
    (scheme !== undefined && (policy.remoteSchemes as readonly string[]).includes(scheme));
  if (!allowedForm) throw locationRefused();
  const resolved = resolveRemote(remote);
  return { resolved, admitted: await admitLocation(resolved, policy) };
}

/** Checks a parsed remote against `policy` now, and says how git must reach it. */
export async function admitLocation(remote: ResolvedRemote, policy: LocationPolicy): Promise<AdmittedLocation> {
  if (remote.localPath !== null) return admitLocalPath(remote.localPath, remote.displayUrl, policy);
  return admitRemoteUrl(remote.url, policy);
}

async function admitLocalPath(
  localPath: string,
  displayUrl: string,
  policy: LocationPolicy,
): Promise<AdmittedLocation> {
  if (!path.isAbsolute(localPath)) throw locationRefused();
  const real = await realpathOrNull(localPath);
  if (!real) throw locationRefused();
  const [roots, forbidden] = await Promise.all([
    realDirectories(policy.repositoryRoots, false),
    realDirectories(policy.forbiddenPaths, true),
  ]);
  const allowed = (p: string) => roots.some((root) => isWithin(p, root)) && !forbidden.some((f) => isWithin(p, f));
  if (!allowed(real)) throw locationRefused();

  const gitDir = await findGitDirectory(real);
  if (!gitDir) {
    const stat = await fs.stat(real);
    throw invalid(
      stat.isDirectory()
        ? `${displayUrl} is not a git repository.`
        : `${displayUrl} is not a git repository (it is not a directory).`,
      { field: 'url' },
    );
  }
  // The git directory may be elsewhere (a `.git` file points to it): it must be allowed too.
  const realGitDir = await realpathOrNull(gitDir);
  if (!realGitDir || !allowed(realGitDir)) throw locationRefused();
  return { gitUrl: realGitDir, key: `local:${realGitDir}`, protocol: 'file', config: [] };
}

async function admitRemoteUrl(rawUrl: string, policy: LocationPolicy): Promise<AdmittedLocation> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw locationRefused();
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(policy.remoteSchemes as readonly string[]).includes(scheme)) throw locationRefused();
  const protocol = scheme as RemoteScheme;
  if (!url.hostname) throw locationRefused();
  const host = await resolveAllowedHost(url.hostname, policy);
  if (!host.ok) throw locationRefused();

  // Redirects (and dumb-http alternates, which follow the same switch) could lead git to another
  // host that was never checked.
  const config = ['http.followRedirects=false'];
  if (!host.literal) {
    if (!(await gitPinsAddresses())) throw locationRefused();
    const port = url.port || (protocol === 'https' ? '443' : '80');
    const addresses = host.addresses.map((a) => (a.includes(':') ? `[${a}]` : a)).join(',');
    config.push(`http.curloptResolve=${url.hostname}:${port}:${addresses}`);
  }
  return { gitUrl: url.toString(), key: remoteKey(url), protocol, config };
}

/**
 * A remote repository's identity: host, non-default port and path, without credentials,
 * scheme, query, trailing slashes or `.git`, in lowercase (hosts such as GitHub ignore case).
 */
export function remoteKey(url: URL): string {
  const port = url.port ? `:${url.port}` : '';
  const repoPath = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  return `remote://${url.hostname}${port}${repoPath}`.toLowerCase();
}

/**
 * The identity of a stored location without checking it against a policy (for rooms created
 * before identities were recorded): real path when it exists, otherwise the path as written.
 */
export async function locationKeyOf(location: string): Promise<string | null> {
  let resolved: ResolvedRemote;
  try {
    resolved = resolveRemote({ url: location });
  } catch {
    return null;
  }
  if (resolved.localPath !== null) {
    const real = (await realpathOrNull(resolved.localPath)) ?? path.resolve(resolved.localPath);
    const gitDir = await findGitDirectory(real);
    return `local:${(gitDir && (await realpathOrNull(gitDir))) ?? real}`;
  }
  try {
    return remoteKey(new URL(resolved.url));
  } catch {
    return `remote://${resolved.displayUrl.toLowerCase()}`;
  }
}

function isWithin(target: string, dir: string): boolean {
  return target === dir || target.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

async function realpathOrNull(p: string): Promise<string | null> {
  try {
    return await fs.realpath(p);
  } catch {
    return null;
  }
}

/** Real paths of `dirs`; a missing one is left out (a root) or kept as written (a forbidden path). */
async function realDirectories(dirs: readonly string[], keepMissing: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!path.isAbsolute(dir)) continue;
    const real = await realpathOrNull(dir);
    if (real) out.push(real);
    else if (keepMissing) out.push(path.resolve(dir));
  }
  return out;
}

/**
 * The git directory git itself would open for `dir` when asked to fetch from it (upload-pack's
 * lookup: `dir/.git`, `dir`, `dir.git/.git`, `dir.git`, following a `.git` file's `gitdir:`),
 * or null. Aegis then hands git that directory, so git reads exactly what was checked.
 */
async function findGitDirectory(dir: string): Promise<string | null> {
  for (const suffix of ['/.git', '', '.git/.git', '.git']) {
    const candidate = dir + suffix;
    const stat = await fs.stat(candidate).catch(() => null);
    if (!stat) continue;
    if (stat.isFile()) {
      const content = await fs.readFile(candidate, 'utf8').catch(() => '');
      const target = /^gitdir: (.+)$/m.exec(content)?.[1]?.trim();
      if (!target) return null;
      const gitDir = path.resolve(path.dirname(candidate), target);
      return (await isGitDirectory(gitDir)) ? gitDir : null;
    }
    if (stat.isDirectory() && (await isGitDirectory(candidate))) {
      // upload-pack would look for `<gitDir>/.git` first: a git directory holding one is not plain.
      if (await fs.stat(path.join(candidate, '.git')).catch(() => null)) return null;
      return candidate;
    }
  }
  return null;
}

async function isGitDirectory(dir: string): Promise<boolean> {
  const [head, objects, refs] = await Promise.all(
    ['HEAD', 'objects', 'refs'].map((name) => fs.stat(path.join(dir, name)).catch(() => null)),
  );
  return Boolean(head?.isFile() && objects?.isDirectory() && refs?.isDirectory());
}

let pinningSupport: Promise<boolean> | undefined;

/** git >= 2.37 understands http.curloptResolve; an older git would silently connect unpinned. */
function gitPinsAddresses(): Promise<boolean> {
  pinningSupport ??= (async () => {
    try {
      const version = /git version (\d+)\.(\d+)/.exec(text(await runGit(['version'], { cwd: os.tmpdir() })));
      if (!version) return false;
      const [major, minor] = [Number(version[1]), Number(version[2])];
      return major > 2 || (major === 2 && minor >= 37);
    } catch {
      return false;
    }
  })();
  return pinningSupport;
}
