import { Badge } from '@/components/ui/card';

const EFFECT_TONES = { allow: 'green', rewrite: 'blue', require_approval: 'yellow', block: 'red' } as const;

export const EFFECT_LABELS: Record<string, string> = {
  allow: 'allow',
  rewrite: 'rewrite',
  require_approval: 'require approval',
  block: 'block',
};

/** A rule's or a decision's effect: allow green, rewrite blue, require approval yellow (×N), block red. */
export function EffectBadge({ effect, approvals }: { effect: string; approvals?: number }) {
  const tone = EFFECT_TONES[effect as keyof typeof EFFECT_TONES] ?? 'gray';
  return (
    <Badge tone={tone}>
      {EFFECT_LABELS[effect] ?? effect}
      {effect === 'require_approval' && <span className="ml-1 font-semibold">×{approvals ?? 1}</span>}
    </Badge>
  );
}

const BLAST_TONES = { Low: 'gray', Medium: 'yellow', High: 'red', Critical: 'red' } as const;

export function BlastRadiusBadge({ level }: { level: string }) {
  return <Badge tone={BLAST_TONES[level as keyof typeof BLAST_TONES] ?? 'gray'}>{level}</Badge>;
}
