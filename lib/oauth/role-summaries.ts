// What an agent acting with each role may do, in the words of the room's default policy, for the
// consent page: the member picks a role knowing what it allows. The room's own policy decides
// every call; these describe the defaults a new room starts with.
import type { Role } from '../generated/prisma/enums';

export const ROLE_SUMMARIES: Record<Role, string[]> = {
  DEVELOPER: [
    'Read branches and files, create branches matching the room’s pattern, push and open pull requests.',
    'Pushes to the default or a protected branch become a new branch plus a pull request.',
    'Cannot merge pull requests; sensitive paths and large changes wait for a reviewer.',
  ],
  ADMIN: ['Everything a DEVELOPER agent may do.', 'Merges pull requests after a reviewer approves each merge.'],
  OWNER: ['Everything the room’s policy allows, without the DEVELOPER and ADMIN limits (still checked and audited).'],
};
