// Display helpers for audit entries. Times are shown in UTC, which is also how the filters read them.

export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A `datetime-local` value (UTC) for a filter field. */
export function toDateTimeLocal(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 16) : '';
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function shortSha(sha: string | null | undefined): string | null {
  return sha ? sha.slice(0, 7) : null;
}

/** The tools agents see (PRODUCT.md), offered as suggestions in the tool filter. */
export const KNOWN_TOOLS = [
  'list_branches',
  'get_file_contents',
  'create_branch',
  'push_files',
  'create_pull_request',
  'list_pull_requests',
  'merge_pull_request',
  'delete_branch',
  'wait_for_approval',
] as const;
