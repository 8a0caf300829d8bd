// The pull requests a room's page lists: for a git room its change requests; for a GitHub room
// the GitHub pull requests Aegis made (opened by an agent's create_pull_request, or by a rewritten
// push), as GitHub reports them now — state and link — with who opened them, from the audit log.
import { db } from '../db';
import { listChangeRequests } from '../change-requests/change-requests';
import { pullRequestOf } from './git-room-repository';
import type { PullRequest, PullRequestState } from './repository';
import { roomRepository } from './room-repository';

export type ListedPullRequest = PullRequest & { key: string };

export async function listRoomPullRequests(
  room: { id: string; repositoryKind: 'git' | 'github' },
  state: PullRequestState | 'all',
): Promise<ListedPullRequest[]> {
  if (room.repositoryKind === 'git') {
    const changeRequests = await listChangeRequests(room.id, { state });
    return changeRequests.map((cr) => ({ ...pullRequestOf(cr), key: cr.id }));
  }
  const made = await db.auditEntry.findMany({
    where: {
      roomId: room.id,
      kind: 'outcome',
      status: 'ok',
      pullRequest: { not: null },
      tool: { in: ['create_pull_request', 'push_files', 'create_or_update_file', 'delete_file'] },
    },
    select: { pullRequest: true, userId: true },
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  if (made.length === 0) return [];
  const openedBy = new Map<number, string>();
  for (const entry of made) if (!openedBy.has(entry.pullRequest!)) openedBy.set(entry.pullRequest!, entry.userId);
  const repository = await roomRepository(room.id);
  const pulls = await repository.listPullRequests({ state: 'all' });
  return pulls
    .filter((p) => openedBy.has(p.number) && (state === 'all' || p.state === state))
    .map((p) => ({ ...p, authorId: openedBy.get(p.number)!, key: String(p.number) }));
}
