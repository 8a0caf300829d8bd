import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/card';

export const metadata: Metadata = { title: 'Rooms' };

export default function Page() {
  return (
    <>
      <PageHeader
        title="Rooms"
        description="Each room ties one repository to its policies, members and access token."
      />
      <EmptyState title="Nothing here yet">Creating rooms arrives in the next release of Aegis.</EmptyState>
    </>
  );
}
