// An approval is bound to the exact action reviewed: the digest of the tool, its arguments and
// the branch head it was evaluated against.
import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function approvalDigest(tool: string, args: unknown, baseSha: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([tool, canonical(args), baseSha]))
    .digest('hex');
}
