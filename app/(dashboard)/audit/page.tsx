import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Audit log' };

export default function Page() {
  return (
    <>
      <PageHeader title="Audit log" description="Every tool call agents make through Aegis, hash-chained per room." />
      <EmptyState title="Nothing here yet">No tool calls have been recorded yet.</EmptyState>
    </>
  );
}
