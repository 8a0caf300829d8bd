// How much a write can break, rated Low / Medium / High / Critical. Shown in the audit log and on
// the approval card, and matched by rules (`blastRadius: high`). Reads have no blast radius.
//
// The rating is the highest level any of these factors reaches (thresholds are the policy's
// `blastRadius` setting; defaults: Medium 5 files / 100 lines, High 20 / 500, Critical 50 / 2000):
//
//   Medium    files changed >= medium.files, or lines changed (added + deleted) >= medium.lines
//             any file deleted
//             the target is the room's default branch or a protected branch
//             delete_branch (of any other branch)
//   High      files changed >= high.files, or lines changed >= high.lines
//             any sensitive path changed (CI/CD, infrastructure, auth, CODEOWNERS, dependency
//             manifests and lockfiles, credential files — see sensitive-paths.ts)
//             medium.files or more files deleted
//   Critical  files changed >= critical.files, or lines changed >= critical.lines
//             a sensitive path changed on the default or a protected branch (a direct push, or the
//             merge of a pull request into it)
//             a sensitive file deleted
//             delete_branch of the default or a protected branch
//
// Anything else is Low. The reasons list every factor at Medium or above, most severe first, so a
// reviewer sees why; a Low rating gets one reason describing the size of the change.

import { matchAnyBranch } from './patterns';
import {
  BLAST_RADIUS_LEVELS,
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  type BlastRadiusLevel,
  type BlastRadiusThresholds,
  type CallFacts,
  type RoomFacts,
} from './policy-schema';
import { SENSITIVE_PATH_CATEGORY_LABELS, sensitivePathCategory, type SensitivePathCategory } from './sensitive-paths';

export type BlastRadius = { level: BlastRadiusLevel; reasons: string[] };

export type BlastRadiusCall = Pick<CallFacts, 'tool' | 'branch' | 'changes'>;
export type BlastRadiusRoom = Pick<RoomFacts, 'defaultBranch' | 'protectedBranches'>;

const rank = (level: BlastRadiusLevel) => BLAST_RADIUS_LEVELS.indexOf(level);

/** Is `level` at least `minimum`? */
export function blastRadiusAtLeast(level: BlastRadiusLevel, minimum: BlastRadiusLevel): boolean {
  return rank(level) >= rank(minimum);
}

/** Is `branch` the room's default branch or one its protected-branch patterns cover? */
export function isProtectedTarget(branch: string | undefined, room: BlastRadiusRoom): boolean {
  if (!branch) return false;
  return branch === room.defaultBranch || matchAnyBranch(room.protectedBranches, branch);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listPaths(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** Rates a write; see the header comment for the scale. */
export function rateBlastRadius(
  call: BlastRadiusCall,
  room: BlastRadiusRoom,
  thresholds: BlastRadiusThresholds = DEFAULT_BLAST_RADIUS_THRESHOLDS,
): BlastRadius {
  const factors: { level: BlastRadiusLevel; reason: string }[] = [];
  const raise = (level: BlastRadiusLevel, reason: string) => factors.push({ level, reason });

  const changes = call.changes ?? [];
  const files = changes.length;
  const lines = changes.reduce((sum, change) => sum + change.additions + change.deletions, 0);
  const deleted = changes.filter((change) => change.status === 'deleted');
  const protectedTarget = isProtectedTarget(call.branch, room);

  // size
  const sizeLevel = (count: number, key: 'files' | 'lines'): BlastRadiusLevel | null =>
    count >= thresholds.critical[key]
      ? 'critical'
      : count >= thresholds.high[key]
        ? 'high'
        : count >= thresholds.medium[key]
          ? 'medium'
          : null;
  const filesLevel = sizeLevel(files, 'files');
  if (filesLevel) raise(filesLevel, `${plural(files, 'file')} changed`);
  const linesLevel = sizeLevel(lines, 'lines');
  if (linesLevel) raise(linesLevel, `${plural(lines, 'line')} changed`);

  // deletions
  if (deleted.length > 0) {
    raise(deleted.length >= thresholds.medium.files ? 'high' : 'medium', `${plural(deleted.length, 'file')} deleted`);
  }

  // sensitive paths, grouped by category
  const sensitive = new Map<SensitivePathCategory, string[]>();
  const sensitiveDeleted: string[] = [];
  for (const change of changes) {
    const category = sensitivePathCategory(change.path);
    if (!category) continue;
    sensitive.set(category, [...(sensitive.get(category) ?? []), change.path]);
    if (change.status === 'deleted') sensitiveDeleted.push(change.path);
  }
  for (const [category, paths] of sensitive) {
    const label = SENSITIVE_PATH_CATEGORY_LABELS[category];
    raise(
      protectedTarget ? 'critical' : 'high',
      `changes ${label}: ${listPaths(paths)}${protectedTarget ? ` on ${call.branch}` : ''}`,
    );
  }
  if (sensitiveDeleted.length > 0)
    raise(
      'critical',
      `deletes sensitive ${sensitiveDeleted.length === 1 ? 'file' : 'files'}: ${listPaths(sensitiveDeleted)}`,
    );

  // the target
  if (call.tool === 'delete_branch') {
    raise(
      protectedTarget ? 'critical' : 'medium',
      protectedTarget ? `deletes protected branch ${call.branch}` : `deletes branch ${call.branch ?? ''}`.trim(),
    );
  } else if (protectedTarget) {
    raise(
      'medium',
      call.tool === 'merge_pull_request'
        ? `merges into protected branch ${call.branch}`
        : `targets protected branch ${call.branch}`,
    );
  }

  if (factors.length === 0) {
    return {
      level: 'low',
      reasons: [files === 0 ? 'no file changes' : `${plural(files, 'file')}, ${plural(lines, 'line')} changed`],
    };
  }
  // most severe first; equal levels keep the order above
  const ordered = factors.map((f, i) => ({ ...f, i })).sort((a, b) => rank(b.level) - rank(a.level) || a.i - b.i);
  return { level: ordered[0]!.level, reasons: ordered.map((f) => f.reason) };
}
