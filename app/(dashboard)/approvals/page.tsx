import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Approvals' };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Actions a policy routes to human review wait here for room ADMINs and OWNERs."
      />
      <EmptyState title="Nothing here yet">No approvals are pending.</EmptyState>
    </>
  );
}
