// The operator's location policy, read from the configuration: where local repositories may
// live (AEGIS_REPOSITORY_ROOTS, never the data directory), which schemes remote URLs may use
// (AEGIS_REMOTE_SCHEMES) and whether private networks may be reached (AEGIS_ALLOW_PRIVATE_NETWORKS).
import path from 'node:path';
import { config } from '../config';
import type { LocationPolicy } from '../git/location-policy';

export function repositoryLocationPolicy(): LocationPolicy {
  const c = config();
  return {
    repositoryRoots: c.AEGIS_REPOSITORY_ROOTS,
    forbiddenPaths: [path.resolve(c.AEGIS_DATA_DIR)],
    remoteSchemes: c.AEGIS_REMOTE_SCHEMES,
    allowPrivateNetworks: c.AEGIS_ALLOW_PRIVATE_NETWORKS,
  };
}
