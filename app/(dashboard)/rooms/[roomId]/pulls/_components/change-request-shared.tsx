// What the change-request pages share: loading the room as the signed-in member (404 otherwise),
// the state badge, and how authors and times are shown.
import { notFound } from 'next/navigation';
import { Badge } from '@/components/ui/card';
import { isAppError } from '@/lib/errors';
import { getRoomForUser } from '@/lib/rooms/get-room';
import { listMembers } from '@/lib/rooms/members';

export async function loadRoomOr404(userId: string, roomId: string) {
  try {
    return await getRoomForUser(userId, roomId);
  } catch (error) {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  }
}

/** Names of the room's members by user id; authors who have left the room are not in it. */
export async function memberNames(userId: string, roomId: string): Promise<Map<string, string>> {
  const members = await listMembers(userId, roomId);
  return new Map(members.map((m) => [m.id, m.name]));
}

export function personName(names: Map<string, string>, id: string | null): string {
  if (!id) return '—';
  return names.get(id) ?? 'a former member';
}

const STATE_TONES = { open: 'green', merging: 'yellow', merged: 'blue', closed: 'red' } as const;

export function ChangeRequestStateBadge({ state }: { state: string }) {
  return <Badge tone={STATE_TONES[state as keyof typeof STATE_TONES] ?? 'gray'}>{state}</Badge>;
}

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function BranchPair({ head, base }: { head: string; base: string }) {
  return (
    <span className="inline-flex max-w-full flex-wrap items-center gap-1.5 font-mono text-xs">
      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-800">{head}</code>
      <span aria-label="into" className="text-slate-400">
        →
      </span>
      <code className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-800">{base}</code>
    </span>
  );
}
