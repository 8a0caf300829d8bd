// Is a repository location usable? First the location policy (is it one the operator allows?),
// then one `git ls-remote` (no mirror needed) that says whether it is reachable and a git
// repository, and lists its branches and default branch. A location that is refused or cannot be
// reached gets the policy's one uniform error; one that answers but is not a repository, or
// refuses the credentials, gets a message a person creating a room can act on.

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalid } from '../errors';
import { admitRemote, locationRefused, type LocationPolicy } from './location-policy';
import { credentialEnv, describeRemoteFailure, ensureAskpass, secretsOf, type RemoteConfig } from './remote';
import { DEFAULT_NETWORK_TIMEOUT_MS, runGit } from './run-git';
import type { RemoteInfo } from './types';

export interface CheckRemoteOptions {
  policy: LocationPolicy;
  timeoutMs?: number;
}

export interface CheckedRemote extends RemoteInfo {
  /** The repository's identity under the policy (see AdmittedLocation.key). */
  locationKey: string;
}

export async function checkRemote(remote: RemoteConfig, options: CheckRemoteOptions): Promise<CheckedRemote> {
  const { resolved, admitted } = await admitRemote(remote, options.policy);

  // A private scratch directory: the cwd (so no repository around it is picked up) and the
  // home of the askpass script.
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'aegis-check-'));
  try {
    const env: Record<string, string> = { GIT_CEILING_DIRECTORIES: path.dirname(scratch) };
    if (resolved.username !== undefined) Object.assign(env, credentialEnv(resolved, await ensureAskpass(scratch)));
    let stdout: string;
    try {
      const result = await runGit(['ls-remote', '--symref', '--', admitted.gitUrl], {
        cwd: scratch,
        env,
        config: admitted.config,
        allowProtocol: admitted.protocol,
        timeoutMs: options.timeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS,
        secrets: secretsOf(resolved),
      });
      stdout = result.stdout.toString('utf8');
    } catch (error) {
      const failure = describeRemoteFailure(error, resolved);
      if (failure.kind === 'not_a_repository' || failure.kind === 'authentication') {
        throw invalid(failure.message, { field: 'url' });
      }
      throw locationRefused();
    }
    return { ...parseLsRemote(stdout), locationKey: admitted.key };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

export function parseLsRemote(stdout: string): RemoteInfo {
  let defaultBranch: string | null = null;
  const branches: RemoteInfo['branches'] = [];
  for (const line of stdout.split('\n')) {
    const symref = /^ref: refs\/heads\/(.+)\tHEAD$/.exec(line);
    if (symref) {
      defaultBranch = symref[1];
      continue;
    }
    const ref = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
    if (ref) branches.push({ name: ref[2], sha: ref[1] });
  }
  branches.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { defaultBranch, branches };
}
