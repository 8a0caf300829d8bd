import type { Metadata } from 'next';
import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { listRoomPullRequests } from '@/lib/repositories/list-room-pull-requests';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/card';
import {
  BranchPair,
  ChangeRequestStateBadge,
  formatUtc,
  loadRoomOr404,
  memberNames,
  personName,
} from './_components/change-request-shared';

export const metadata: Metadata = { title: 'Pull requests' };

const TABS = [
  { state: 'open', label: 'Open' },
  { state: 'merged', label: 'Merged' },
  { state: 'closed', label: 'Closed' },
  { state: 'all', label: 'All' },
] as const;

type TabState = (typeof TABS)[number]['state'];

function tabState(value: string | string[] | undefined): TabState {
  return TABS.find((tab) => tab.state === value)?.state ?? 'open';
}

export default async function PullRequestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ roomId: string }>;
  searchParams: Promise<{ state?: string | string[] }>;
}) {
  const user = await requireUser();
  const { roomId } = await params;
  const room = await loadRoomOr404(user.id, roomId);
  const state = tabState((await searchParams).state);
  const [changeRequests, names] = await Promise.all([listRoomPullRequests(room, state), memberNames(user.id, room.id)]);

  return (
    <>
      <PageHeader
        title="Pull requests"
        description={
          <>
            <Link href={`/rooms/${room.id}`} className="font-medium text-indigo-600 hover:underline">
              {room.name}
            </Link>{' '}
            ·{' '}
            {room.repositoryKind === 'github'
              ? 'GitHub pull requests opened through Aegis, as GitHub reports them.'
              : 'change requests opened by agents, reviewed and merged here.'}
          </>
        }
      />
      <nav aria-label="Pull request states" className="mb-4 flex gap-1 border-b border-slate-200">
        {TABS.map((tab) => {
          const active = tab.state === state;
          return (
            <Link
              key={tab.state}
              href={tab.state === 'open' ? `/rooms/${room.id}/pulls` : `/rooms/${room.id}/pulls?state=${tab.state}`}
              aria-current={active ? 'page' : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
                active
                  ? 'border-indigo-600 text-indigo-700'
                  : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'
              }`}
            >
              {tab.label}
            </Link>
          );
        })}
      </nav>
      {changeRequests.length === 0 ? (
        <EmptyState title={state === 'all' ? 'No pull requests yet' : `No ${state} pull requests`}>
          {room.repositoryKind === 'github'
            ? 'Pull requests that agents open through Aegis on GitHub are listed here, with their link and state.'
            : 'Agents open pull requests with the create_pull_request tool, or when a push to a protected branch is rewritten into a branch and a pull request.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200 text-sm" aria-label="Pull requests">
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-3">#</th>
                <th className="px-4 py-3">Title</th>
                <th className="px-4 py-3">Branches</th>
                <th className="px-4 py-3">State</th>
                <th className="px-4 py-3">Author</th>
                <th className="px-4 py-3">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {changeRequests.map((cr) => (
                <tr key={cr.key} className="hover:bg-slate-50">
                  <td className="px-4 py-3 tabular-nums text-slate-500">#{cr.number}</td>
                  <td className="max-w-sm min-w-48 px-4 py-3 font-medium wrap-anywhere">
                    {cr.url ? (
                      <a href={cr.url} className="text-indigo-700 hover:underline" rel="noreferrer" target="_blank">
                        {cr.title} <span className="sr-only">(on GitHub)</span>
                      </a>
                    ) : (
                      <Link href={`/rooms/${room.id}/pulls/${cr.number}`} className="text-indigo-700 hover:underline">
                        {cr.title}
                      </Link>
                    )}
                  </td>
                  <td className="px-4 py-3 whitespace-nowrap">
                    <BranchPair head={cr.head} base={cr.base} />
                  </td>
                  <td className="px-4 py-3">
                    <ChangeRequestStateBadge state={cr.state} />
                  </td>
                  <td className="px-4 py-3 text-slate-700">{personName(names, cr.authorId)}</td>
                  <td className="px-4 py-3 whitespace-nowrap text-slate-500">
                    <time dateTime={cr.createdAt.toISOString()}>{formatUtc(cr.createdAt)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
