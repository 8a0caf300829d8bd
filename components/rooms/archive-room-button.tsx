'use client';

import { useState, useTransition } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError } from '@/components/ui/field';
import { archiveRoomAction } from '@/app/(dashboard)/rooms/actions';

export function ArchiveRoomButton({ roomId }: { roomId: string }) {
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <div className="space-y-2">
      <FormError message={error} />
      <ConfirmButton
        question="Archive this room? Its token stops working and its agents are disconnected."
        confirmLabel="Archive room"
        pending={pending}
        onConfirm={() => startTransition(async () => setError((await archiveRoomAction(roomId)).message))}
      >
        Archive room
      </ConfirmButton>
    </div>
  );
}
