import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ZodError } from 'zod';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { listAuditEntries, listAuditFilterOptions, type AuditLogPage } from '@/lib/audit/list-audit-entries';
import { PageHeader } from '@/components/ui/page-header';
import { Card, EmptyState } from '@/components/ui/card';
import { buttonClasses } from '@/components/ui/button';
import { AuditFilters, type AuditFilterValues } from '@/components/audit/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { VerifyChainButton } from '@/components/audit/verify-chain-button';

export const metadata: Metadata = { title: 'Audit log' };

const FILTER_KEYS = ['room', 'user', 'tool', 'decision', 'from', 'to'] as const;

type SearchParams = Record<string, string | string[] | undefined>;

function firstValue(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text : undefined;
}

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
}

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const raw = await searchParams;
  const values: AuditFilterValues = Object.fromEntries(FILTER_KEYS.map((key) => [key, firstValue(raw[key])]));
  const cursor = firstValue(raw.cursor);
  const options = await listAuditFilterOptions(user.id);

  let page: AuditLogPage | undefined;
  let fieldErrors: Record<string, string> = {};
  try {
    page = await listAuditEntries(user.id, { ...values, cursor });
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    if (!(error instanceof ZodError)) throw error;
    fieldErrors = Object.fromEntries(error.issues.map((issue) => [String(issue.path[0] ?? 'form'), issue.message]));
  }

  const filterQuery = query(values);
  const filtered = filterQuery !== '';
  const selectedRoom = page?.filters.room ? options.rooms.find((room) => room.id === page.filters.room) : undefined;
  const exportHref = (format: 'csv' | 'jsonl') => `/api/audit/export?${query({ format, ...values })}`;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every tool call agents make through Aegis, hash-chained per room."
        actions={
          page && (
            <>
              <a href={exportHref('csv')} className={buttonClasses('secondary', 'sm')} download>
                Export CSV
              </a>
              <a href={exportHref('jsonl')} className={buttonClasses('secondary', 'sm')} download>
                Export JSON lines
              </a>
            </>
          )
        }
      />

      <AuditFilters values={values} rooms={options.rooms} users={options.users} errors={fieldErrors} />

      {!page ? (
        <p className="text-sm text-slate-600">The log is shown once the filters above are valid.</p>
      ) : page.entries.length === 0 ? (
        <EmptyState title={filtered || cursor ? 'No calls match these filters' : 'No tool calls recorded yet'}>
          {filtered || cursor ? (
            <Link href="/audit" className="font-semibold text-indigo-600">
              Clear the filters
            </Link>
          ) : (
            <>
              Calls appear here as soon as an agent uses a room.{' '}
              <Link href="/integrations" className="font-semibold text-indigo-600">
                Connect an agent
              </Link>
            </>
          )}
        </EmptyState>
      ) : (
        <>
          <AuditTable entries={page.entries} />
          <nav aria-label="Pagination" className="mt-4 flex items-center justify-between text-sm">
            {cursor ? (
              <Link href={filtered ? `/audit?${filterQuery}` : '/audit'} className="text-slate-600 hover:underline">
                ← Newest
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor && (
              <Link
                href={`/audit?${query({ ...values, cursor: page.nextCursor })}`}
                className={buttonClasses('secondary', 'sm')}
              >
                Load older
              </Link>
            )}
          </nav>
        </>
      )}

      {options.rooms.length > 0 && (
        <div className="mt-8">
          <Card
            title="Chain integrity"
            description="Each entry carries the hash of the one before it. Verifying recomputes every hash of a room’s chain."
          >
            {selectedRoom ? (
              <VerifyChainButton roomId={selectedRoom.id} />
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Rooms to verify">
                {options.rooms.map((room) => (
                  <li key={room.id} className="flex flex-wrap items-center gap-4 py-2.5">
                    <span className="w-48 truncate text-sm font-medium text-slate-900" title={room.name}>
                      {room.name}
                    </span>
                    <VerifyChainButton roomId={room.id} roomName={room.name} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
