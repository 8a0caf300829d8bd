// lib/git: everything Aegis does with git, free of Next.js. Import from here.

export { GitRepository } from './git-repository';
export { markAllMirrorsStale, markMirrorStale } from './mirror';
export { checkRemote, type CheckedRemote } from './check-remote';
export {
  admitRemote,
  isLocationRefusal,
  locationKeyOf,
  locationRefused,
  LOCATION_REFUSED_MESSAGE,
  SUPPORTED_REMOTE_SCHEMES,
  type LocationPolicy,
  type RemoteScheme,
} from './location-policy';
export {
  validateBranchName,
  validateFilePath,
  isValidBranchName,
  isValidFilePath,
  branchNameProblem,
  filePathProblem,
} from './validate-ref';
export { resolveRemote, type RemoteConfig } from './remote';
export { redact } from './redact';
export { GitCommandError } from './run-git';
export type * from './types';
