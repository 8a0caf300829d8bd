import { Badge } from '@/components/ui/card';

const STATUS_TONES = {
  pending: 'yellow',
  approved: 'blue',
  executing: 'blue',
  executed: 'green',
  denied: 'red',
  failed: 'red',
  expired: 'gray',
  cancelled: 'gray',
} as const;

export function ApprovalStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status as keyof typeof STATUS_TONES] ?? 'gray'}>{status}</Badge>;
}

/** The arguments as a reviewer reads them: pushed file contents shortened. */
export function formatArguments(args: unknown): string {
  return JSON.stringify(
    args,
    (key, value) =>
      key === 'content' && typeof value === 'string' && value.length > 400
        ? `${value.slice(0, 400)}… (${value.length} chars)`
        : value,
    2,
  );
}
