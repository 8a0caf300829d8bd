import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { CreateRoomForm } from '@/components/rooms/create-room-form';

export const metadata: Metadata = { title: 'New room' };

export default function NewRoomPage() {
  return (
    <>
      <PageHeader
        title="New room"
        description="A room governs one repository: its policies, its members and the agents they connect."
      />
      <Card>
        <CreateRoomForm />
      </Card>
    </>
  );
}
