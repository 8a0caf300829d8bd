// Plain-language descriptions of policy rules for the policy page: what a rule's match means,
// what a failed condition in the simulator's trace means, and how a freeze window reads. Pure
// (no React), so the list, the editor and the simulator describe a rule the same way.
import {
  BLAST_RADIUS_LABELS,
  ROOM_BRANCH_PATTERN,
  WEEKDAYS,
  isDailyFreezeWindow,
  isOneOffFreezeWindow,
  type FreezeWindow,
  type Match,
  type Weekday,
} from '@/lib/policy/policy-schema';

export type MatchKey = keyof Match;

/** Short names of the match conditions, as the trace and the editor call them. */
export const CONDITION_LABELS: Record<MatchKey, string> = {
  tools: 'tool',
  roles: 'role',
  branches: 'branch',
  baseBranches: 'base branch',
  protectedTarget: 'protected target',
  branchNameNotMatching: 'new branch name',
  paths: 'changed paths',
  sensitivePaths: 'sensitive paths',
  minFiles: 'files changed',
  minLines: 'lines changed',
  blastRadius: 'blast radius',
  duringFreeze: 'freeze window',
  secretsFound: 'secrets',
  ciStatus: 'CI status',
  reviewApproved: 'GitHub review',
};

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

const TOOL_GROUP_LABELS: Record<string, string> = { read: 'any read tool', write: 'any write tool' };

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function branchPatterns(patterns: readonly string[]): string {
  return orList(patterns.map((p) => (p === ROOM_BRANCH_PATTERN ? "the room's branch pattern" : p)));
}

/** One readable phrase for one condition of a match. */
export function describeCondition<K extends MatchKey>(key: K, value: NonNullable<Match[K]>): string {
  const v = value as unknown;
  switch (key) {
    case 'tools':
      return `tool is ${orList((v as string[]).map((t) => TOOL_GROUP_LABELS[t] ?? t))}`;
    case 'roles':
      return `role is ${orList(v as string[])}`;
    case 'branches':
      return `branch matches ${branchPatterns(v as string[])}`;
    case 'baseBranches':
      return `base branch matches ${branchPatterns(v as string[])}`;
    case 'protectedTarget':
      return v ? 'target is the default or a protected branch' : 'target is neither the default nor a protected branch';
    case 'branchNameNotMatching':
      return `new branch name does not match ${branchPatterns([v as string])}`;
    case 'paths': {
      const paths = v as { any?: string[]; all?: string[] };
      const parts: string[] = [];
      if (paths.any) parts.push(`a changed path matches ${orList(paths.any)}`);
      if (paths.all) parts.push(`every changed path matches ${orList(paths.all)}`);
      return parts.join(' and ');
    }
    case 'sensitivePaths':
      return v ? 'touches a sensitive path' : 'touches no sensitive path';
    case 'minFiles':
      return `${v as number}+ files changed`;
    case 'minLines':
      return `${v as number}+ lines changed`;
    case 'blastRadius': {
      const level = v as keyof typeof BLAST_RADIUS_LABELS;
      return level === 'critical'
        ? 'blast radius is Critical'
        : `blast radius is ${BLAST_RADIUS_LABELS[level]} or above`;
    }
    case 'duringFreeze':
      return v ? 'during a freeze window' : 'outside every freeze window';
    case 'secretsFound':
      return v ? 'content looks like it holds a secret' : 'content holds no secret';
    case 'ciStatus':
      return `CI status is ${orList(v as string[])}`;
    case 'reviewApproved':
      return v ? 'the pull request has an approving GitHub review' : 'the pull request has no approving GitHub review';
    default:
      return String(key);
  }
}

const MATCH_KEYS: MatchKey[] = Object.keys(CONDITION_LABELS) as MatchKey[];

/** Every condition of a match as a phrase, in a stable order; an empty match holds for every call. */
export function describeMatch(match: Match): string[] {
  const phrases: string[] = [];
  for (const key of MATCH_KEYS) {
    const value = match[key];
    if (value !== undefined) phrases.push(describeCondition(key, value as NonNullable<Match[typeof key]>));
  }
  return phrases;
}

/** The phrases of the given (failed) conditions of a match; a key the match lacks gets its label. */
export function describeConditions(match: Match | undefined, keys: readonly string[]): string[] {
  return keys.map((key) => {
    const value = match?.[key as MatchKey];
    if (match && value !== undefined) return describeCondition(key as MatchKey, value as never);
    return CONDITION_LABELS[key as MatchKey] ?? key;
  });
}

/** "Fri 18:00 → Mon 08:00 (Europe/Berlin)" and the like. */
export function describeFreezeWindow(window: FreezeWindow): string {
  if (isOneOffFreezeWindow(window)) {
    return `${window.start.replace('T', ' ')} → ${window.end.replace('T', ' ')} (${window.timeZone})`;
  }
  if (isDailyFreezeWindow(window)) {
    const everyDay = window.days.length === 7;
    const days = everyDay
      ? 'every day'
      : WEEKDAYS.filter((d) => window.days.includes(d))
          .map((d) => WEEKDAY_LABELS[d])
          .join(', ');
    return `${days}, ${window.startTime} → ${window.endTime} (${window.timeZone})`;
  }
  return `${WEEKDAY_LABELS[window.startDay]} ${window.startTime} → ${WEEKDAY_LABELS[window.endDay]} ${window.endTime} (${window.timeZone})`;
}

export function freezeWindowKind(window: FreezeWindow): 'one-off' | 'daily' | 'weekly' {
  return isOneOffFreezeWindow(window) ? 'one-off' : isDailyFreezeWindow(window) ? 'daily' : 'weekly';
}

/** A JSON form with sorted keys, to compare two rules regardless of key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
