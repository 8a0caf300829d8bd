// lib/git: everything Aegis does with git, free of Next.js. Import from here.

export { GitRepository } from './git-repository';
export { checkRemote } from './check-remote';
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
