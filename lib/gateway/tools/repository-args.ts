// Arguments every tool accepts because agents trained on the GitHub MCP server send them: `owner`
// and `repo`. The room decides which repository is touched; naming another one is refused.
import { z } from 'zod';
import path from 'node:path';
import { invalid } from '../../errors';
import type { RoomFacts } from './tool-types';

export const repositoryArgs = {
  owner: z.string().max(200).optional().describe('Repository owner (optional: the room decides the repository)'),
  repo: z.string().max(200).optional().describe('Repository name (optional: the room decides the repository)'),
};

function repositoryNames(room: RoomFacts): { owner?: string; repo: string[] } {
  if (room.repositoryKind === 'github') {
    const [owner, repo] = room.repositoryLocation.split('/');
    return { owner: owner!.toLowerCase(), repo: [repo!.toLowerCase()] };
  }
  const base = path.basename(room.repositoryLocation.replace(/\/+$/, '')).replace(/\.git$/i, '');
  return { repo: [base.toLowerCase(), room.name.toLowerCase()] };
}

export function assertRoomRepository(room: RoomFacts, args: { owner?: string; repo?: string }) {
  const names = repositoryNames(room);
  const repoMismatch = args.repo !== undefined && !names.repo.includes(args.repo.toLowerCase());
  const ownerMismatch =
    args.owner !== undefined && names.owner !== undefined && names.owner !== args.owner.toLowerCase();
  if (repoMismatch || ownerMismatch) {
    throw invalid(
      `This connection is for the room "${room.name}", whose repository is ${room.repositoryKind === 'github' ? room.repositoryLocation : names.repo[0]}; ` +
        `it cannot act on ${[args.owner, args.repo].filter(Boolean).join('/')}. Omit owner and repo, or connect to that repository's room.`,
      { field: repoMismatch ? 'repo' : 'owner' },
    );
  }
}
