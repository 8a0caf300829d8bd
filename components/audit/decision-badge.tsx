import { Badge } from '@/components/ui/card';

type Tone = 'gray' | 'green' | 'yellow' | 'red' | 'blue';

const DECISION_TONES: Record<string, Tone> = {
  allow: 'green',
  rewrite: 'blue',
  require_approval: 'yellow',
  block: 'red',
  invalid: 'gray',
  refused: 'red',
  error: 'red',
};

const STATUS_TONES: Record<string, Tone> = {
  ok: 'green',
  error: 'red',
  pending: 'yellow',
  denied: 'red',
  expired: 'gray',
  cancelled: 'gray',
};

const BLAST_TONES: Record<string, Tone> = { Low: 'gray', Medium: 'yellow', High: 'red', Critical: 'red' };

export function DecisionBadge({ decision }: { decision: string }) {
  return <Badge tone={DECISION_TONES[decision] ?? 'gray'}>{decision.replaceAll('_', ' ')}</Badge>;
}

export function OutcomeBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <span className="text-slate-400">—</span>;
  return <Badge tone={STATUS_TONES[status] ?? 'gray'}>{status}</Badge>;
}

export function BlastRadiusBadge({ blastRadius }: { blastRadius: string | null | undefined }) {
  if (!blastRadius) return <span className="text-slate-400">—</span>;
  return <Badge tone={BLAST_TONES[blastRadius] ?? 'gray'}>{blastRadius}</Badge>;
}
