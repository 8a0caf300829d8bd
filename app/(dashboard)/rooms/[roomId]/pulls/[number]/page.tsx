import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireUser } from '@/lib/auth/session';
import { changeRequestDiff, getChangeRequest, type ChangeRequest } from '@/lib/change-requests/change-requests';
import { roomGitRepository } from '@/lib/repositories/room-repository';
import { pendingMergeApprovals } from '@/lib/change-requests/pending-merge-approvals';
import { isAppError } from '@/lib/errors';
import type { DiffResult } from '@/lib/git';
import { can } from '@/lib/rooms/permissions';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { FormError } from '@/components/ui/field';
import { CopyButton } from '@/components/ui/copy-button';
import { DiffFileList } from '@/components/diff/diff-file-list';
import { DiffView } from '@/components/diff/diff-view';
import { ChangeRequestActions } from '../_components/change-request-actions';
import {
  BranchPair,
  ChangeRequestStateBadge,
  formatUtc,
  loadRoomOr404,
  memberNames,
  personName,
} from '../_components/change-request-shared';

export const metadata: Metadata = { title: 'Pull request' };

async function loadChangeRequest(roomId: string, raw: string): Promise<ChangeRequest> {
  const number = /^[1-9]\d{0,8}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(number)) notFound();
  try {
    return await getChangeRequest(roomId, number);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

/** The diff, or why it cannot be shown (a deleted head branch, an unreachable remote). */
async function loadDiff(changeRequest: ChangeRequest): Promise<{ diff?: DiffResult; error?: string }> {
  try {
    return { diff: await changeRequestDiff(changeRequest, await roomGitRepository(changeRequest.roomId)) };
  } catch (error) {
    if (isAppError(error)) return { error: `The diff cannot be shown: ${error.message}` };
    console.error('[aegis] could not load the diff of a change request', error);
    return { error: 'The diff cannot be shown right now. Please try again.' };
  }
}

export default async function PullRequestPage({ params }: { params: Promise<{ roomId: string; number: string }> }) {
  const user = await requireUser();
  const { roomId, number: rawNumber } = await params;
  const room = await loadRoomOr404(user.id, roomId);
  const changeRequest = await loadChangeRequest(room.id, rawNumber);
  const [{ diff, error: diffError }, names, waitingMerges] = await Promise.all([
    loadDiff(changeRequest),
    memberNames(user.id, room.id),
    changeRequest.state === 'open' ? pendingMergeApprovals(room.id, changeRequest.number) : [],
  ]);
  const canReview = can(room.myRole, 'approval.review');
  const author = personName(names, changeRequest.authorId);
  const ownChangeRequest = changeRequest.authorId === user.id;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/rooms/${room.id}/pulls`} className="text-indigo-600 hover:underline">
          ← {room.name} · pull requests
        </Link>
      </p>
      <PageHeader
        title={`${changeRequest.title} #${changeRequest.number}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <ChangeRequestStateBadge state={changeRequest.state} />
            <span>
              <span className="font-medium text-slate-900">{author}</span>{' '}
              {changeRequest.state === 'open' || changeRequest.state === 'merging'
                ? 'wants to merge'
                : 'proposed merging'}
            </span>
            <BranchPair head={changeRequest.head} base={changeRequest.base} />
            <span>
              · opened{' '}
              <time dateTime={changeRequest.createdAt.toISOString()}>{formatUtc(changeRequest.createdAt)}</time>
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        <Card title="Description">
          {changeRequest.body.trim() ? (
            <div className="whitespace-pre-wrap break-words text-sm text-slate-800">{changeRequest.body}</div>
          ) : (
            <p className="text-sm text-slate-500">No description.</p>
          )}
        </Card>

        {changeRequest.state === 'merged' && (
          <Card title="Merged">
            <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <span>
                Merged into <code className="font-mono text-xs">{changeRequest.base}</code> by{' '}
                <span className="font-medium">{personName(names, changeRequest.mergedById)}</span>
                {changeRequest.mergedAt && (
                  <>
                    {' '}
                    on <time dateTime={changeRequest.mergedAt.toISOString()}>{formatUtc(changeRequest.mergedAt)}</time>
                  </>
                )}{' '}
                as commit
              </span>
              {changeRequest.mergeCommitSha && (
                <>
                  <code
                    data-testid="merge-commit-sha"
                    className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800"
                  >
                    {changeRequest.mergeCommitSha}
                  </code>
                  <CopyButton value={changeRequest.mergeCommitSha} label="Copy merge commit SHA" />
                </>
              )}
            </p>
          </Card>
        )}

        {changeRequest.state === 'closed' && (
          <Card title="Closed">
            <p className="text-sm text-slate-700">This pull request was closed without being merged.</p>
          </Card>
        )}

        {changeRequest.state === 'merging' && (
          <Card title="Merging">
            <p className="text-sm text-slate-700">A merge of this pull request is in progress. Reload in a moment.</p>
          </Card>
        )}

        {changeRequest.state === 'open' && (
          <Card
            title="Review"
            description={`Merging moves ${changeRequest.base} on the repository. The room's policy decides it for your role (${room.myRole}), as it decides an agent's merge, and it merges exactly the commit whose changes are shown below; if the branch moves first, the merge is refused and this page shows the new changes.`}
          >
            <div className="space-y-4">
              {ownChangeRequest && (
                <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 ring-1 ring-inset ring-sky-200">
                  You opened this pull request (through your agent), so you cannot merge it alone: Merge asks another
                  reviewer (an ADMIN or OWNER of the room) to approve it in the approvals inbox.
                </p>
              )}
              {waitingMerges.length > 0 && (
                <ul aria-label="Merges waiting for approval" className="space-y-1 text-sm text-slate-700">
                  {waitingMerges.map((approval) => (
                    <li key={approval.id}>
                      A merge requested by {personName(names, approval.requesterId)} waits for approval ·{' '}
                      <Link href={`/approvals/${approval.id}`} className="text-indigo-600 hover:underline">
                        Open the approval
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
              {diff ? (
                <ChangeRequestActions
                  roomId={room.id}
                  number={changeRequest.number}
                  head={changeRequest.head}
                  base={changeRequest.base}
                  headSha={diff.headSha}
                  canClose={canReview}
                />
              ) : (
                <p className="text-sm text-slate-600">It cannot be merged while its changes cannot be shown.</p>
              )}
              {!canReview && (
                <p className="text-sm text-slate-600">
                  Only the room&apos;s ADMINs and OWNERs can close pull requests. Your role is {room.myRole}.
                </p>
              )}
            </div>
          </Card>
        )}

        <Card
          title="Changes"
          description={
            changeRequest.state === 'merged'
              ? 'What the merge brought into the base branch.'
              : `Compared with ${changeRequest.base} from where ${changeRequest.head} branched off${diff ? `, at commit ${diff.headSha.slice(0, 12)}` : ''}.`
          }
        >
          {diff ? (
            <div className="space-y-5">
              <DiffFileList files={diff.files} />
              <DiffView patch={diff.patch} truncated={diff.truncated} />
            </div>
          ) : (
            <FormError message={diffError} />
          )}
        </Card>
      </div>
    </>
  );
}
