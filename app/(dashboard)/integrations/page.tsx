import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Integrations' };

export default function Page() {
  return (
    <>
      <PageHeader title="Integrations" description="Ready-to-paste MCP configuration for your coding agents." />
      <EmptyState title="Nothing here yet">Create a room first: its configuration appears here.</EmptyState>
    </>
  );
}
