// The shape of a room's policy and of the facts a decision is made from, as zod schemas with
// their types. Everything that can be wrong with a policy (unknown keys, a bad glob, an unknown
// time zone, a window that ends before it starts) is refused here, when the policy is saved, with
// the path of the offending field; evaluation then only fails closed on what slipped past.

import { z } from 'zod';

import { branchPatternProblem, pathPatternProblem } from './patterns';

export const TOOL_NAMES = [
  'list_branches',
  'get_file_contents',
  'list_pull_requests',
  'wait_for_approval',
  'create_branch',
  'push_files',
  'create_pull_request',
  'merge_pull_request',
  'delete_branch',
  'update_pull_request',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const READ_TOOLS = [
  'list_branches',
  'get_file_contents',
  'list_pull_requests',
  'wait_for_approval',
] as const satisfies readonly ToolName[];
export const WRITE_TOOLS = [
  'create_branch',
  'push_files',
  'create_pull_request',
  'merge_pull_request',
  'delete_branch',
  'update_pull_request',
] as const satisfies readonly ToolName[];

/** Names a rule may list in `match.tools`: a tool, or the group `read` / `write`. */
export const TOOL_GROUPS = { read: READ_TOOLS, write: WRITE_TOOLS } as const;
export type ToolGroup = keyof typeof TOOL_GROUPS;

export function isReadTool(tool: string): boolean {
  return (READ_TOOLS as readonly string[]).includes(tool);
}

export const ROLES = ['DEVELOPER', 'ADMIN', 'OWNER'] as const;
export type Role = (typeof ROLES)[number];

export const EFFECTS = ['allow', 'rewrite', 'require_approval', 'block'] as const;
export type Effect = (typeof EFFECTS)[number];

/** What a policy may do with a call no rule matched (a rewrite needs a rule to say what into). */
export const DEFAULT_EFFECTS = ['allow', 'require_approval', 'block'] as const;
export type DefaultEffect = (typeof DEFAULT_EFFECTS)[number];

export const BLAST_RADIUS_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type BlastRadiusLevel = (typeof BLAST_RADIUS_LEVELS)[number];
export const BLAST_RADIUS_LABELS: Record<BlastRadiusLevel, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const CI_STATUSES = ['success', 'failure', 'pending', 'none'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const CHANGE_STATUSES = ['added', 'modified', 'deleted'] as const;

/** In a branch pattern list or `branchNameNotMatching`: the room's own branch pattern. */
export const ROOM_BRANCH_PATTERN = '$room';

export const MAX_APPROVALS = 10;

// ---------------------------------------------------------------------------------------------
// Building blocks

const branchPatternSchema = z.string().superRefine((pattern, ctx) => {
  if (pattern === ROOM_BRANCH_PATTERN) return;
  const problem = branchPatternProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: `Branch pattern "${pattern}" ${problem}` });
});

const pathPatternSchema = z.string().superRefine((pattern, ctx) => {
  const problem = pathPatternProblem(pattern);
  if (problem) ctx.addIssue({ code: 'custom', message: `Path pattern "${pattern}" ${problem}` });
});

const branchPatternListSchema = z
  .array(branchPatternSchema)
  .min(1, 'List at least one branch pattern (or leave the field out)')
  .max(100);
const pathPatternListSchema = z
  .array(pathPatternSchema)
  .min(1, 'List at least one path pattern (or leave the field out)')
  .max(200);

const countSchema = z.number().int('Must be a whole number').min(0, 'Must be 0 or more');

/** Validated by asking the runtime's time-zone database; offsets like "+02:00" are refused. */
export function isValidTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const timeZoneSchema = z.string().superRefine((timeZone, ctx) => {
  if (!isValidTimeZone(timeZone)) {
    ctx.addIssue({
      code: 'custom',
      message: `Unknown time zone "${timeZone}": use an IANA name such as "Europe/Berlin" or "UTC"`,
    });
  }
});

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** `2025-12-24T18:00` or `2025-12-24T18:00:00`, a real calendar date, no offset. */
const localDateTimeSchema = z.string().superRefine((value, ctx) => {
  const m = LOCAL_DATE_TIME.exec(value);
  const fail = () =>
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a local date and time like 2025-12-24T18:00 (no time-zone offset: the window's timeZone applies)`,
    });
  if (!m) return fail();
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    fail();
  }
});

/** Normalises `YYYY-MM-DDTHH:MM[:SS]` to `YYYY-MM-DDTHH:MM:SS`, which then sorts as a string. */
export function normalizeLocalDateTime(value: string): string {
  return value.length === 16 ? `${value}:00` : value;
}

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const startTimeSchema = z.string().regex(TIME, 'Use a 24-hour time like "18:00"');
const endTimeSchema = z
  .string()
  .refine((v) => TIME.test(v) || v === '24:00', 'Use a 24-hour time like "08:00" (or "24:00" for midnight)');

const windowNameSchema = z.string().trim().min(1, 'Give the window a name').max(100);

// ---------------------------------------------------------------------------------------------
// Freeze windows

/** A one-off freeze: from `start` to `end` (exclusive), wall-clock time in `timeZone`. */
export const oneOffFreezeWindowSchema = z
  .strictObject({
    name: windowNameSchema,
    timeZone: timeZoneSchema,
    start: localDateTimeSchema,
    end: localDateTimeSchema,
  })
  .superRefine((w, ctx) => {
    if (normalizeLocalDateTime(w.end) <= normalizeLocalDateTime(w.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'The window must end after it starts' });
    }
  });

/**
 * A freeze on the listed days from `startTime` to `endTime`. When `endTime` is not after
 * `startTime` the window crosses midnight and ends the next day (`days` names the day it starts);
 * equal times mean a full 24 hours.
 */
export const dailyFreezeWindowSchema = z.strictObject({
  name: windowNameSchema,
  timeZone: timeZoneSchema,
  days: z
    .array(z.enum(WEEKDAYS))
    .min(1, 'List at least one day')
    .refine((days) => new Set(days).size === days.length, 'List each day once'),
  startTime: startTimeSchema,
  endTime: endTimeSchema,
});

/** A weekly freeze spanning days, e.g. Friday 18:00 to Monday 08:00. */
export const weeklyFreezeWindowSchema = z
  .strictObject({
    name: windowNameSchema,
    timeZone: timeZoneSchema,
    startDay: z.enum(WEEKDAYS),
    startTime: startTimeSchema,
    endDay: z.enum(WEEKDAYS),
    endTime: endTimeSchema,
  })
  .superRefine((w, ctx) => {
    const end = w.endTime === '24:00' ? '00:00' : w.endTime;
    const endDay = w.endTime === '24:00' ? WEEKDAYS[(WEEKDAYS.indexOf(w.endDay) + 1) % 7] : w.endDay;
    if (endDay === w.startDay && end === w.startTime) {
      ctx.addIssue({ code: 'custom', path: ['endTime'], message: 'The window must not end when it starts' });
    }
  });

export type OneOffFreezeWindow = z.output<typeof oneOffFreezeWindowSchema>;
export type DailyFreezeWindow = z.output<typeof dailyFreezeWindowSchema>;
export type WeeklyFreezeWindow = z.output<typeof weeklyFreezeWindowSchema>;
export type FreezeWindow = OneOffFreezeWindow | DailyFreezeWindow | WeeklyFreezeWindow;
type FreezeWindowInput =
  | z.input<typeof oneOffFreezeWindowSchema>
  | z.input<typeof dailyFreezeWindowSchema>
  | z.input<typeof weeklyFreezeWindowSchema>;

/**
 * The three window shapes are told apart by their keys (`start`, `days` or `startDay`), so that a
 * mistake is reported against the shape the author meant instead of as "matches no union member".
 */
export const freezeWindowSchema = z.custom<FreezeWindowInput>().transform((value, ctx): FreezeWindow => {
  const shape =
    value && typeof value === 'object' && !Array.isArray(value)
      ? 'start' in value || 'end' in value
        ? oneOffFreezeWindowSchema
        : 'days' in value
          ? dailyFreezeWindowSchema
          : 'startDay' in value || 'endDay' in value
            ? weeklyFreezeWindowSchema
            : null
      : null;
  if (!shape) {
    ctx.addIssue({
      code: 'custom',
      message:
        'A freeze window needs either start and end (one-off), days with startTime and endTime (daily), or startDay, startTime, endDay and endTime (weekly)',
    });
    return z.NEVER;
  }
  const result = shape.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          ctx.addIssue({ code: 'custom', message: `Unknown field "${key}"`, path: [...issue.path, key] });
        }
      } else {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as PropertyKey[] });
      }
    }
    return z.NEVER;
  }
  return result.data;
});

export function isOneOffFreezeWindow(w: FreezeWindow): w is OneOffFreezeWindow {
  return 'start' in w;
}
export function isDailyFreezeWindow(w: FreezeWindow): w is DailyFreezeWindow {
  return 'days' in w;
}
export function isWeeklyFreezeWindow(w: FreezeWindow): w is WeeklyFreezeWindow {
  return 'startDay' in w;
}

// ---------------------------------------------------------------------------------------------
// Blast radius thresholds

const levelThresholdSchema = z.strictObject({
  files: z.number().int('Must be a whole number').min(1, 'Must be at least 1'),
  lines: z.number().int('Must be a whole number').min(1, 'Must be at least 1'),
});

export const DEFAULT_BLAST_RADIUS_THRESHOLDS = {
  medium: { files: 5, lines: 100 },
  high: { files: 20, lines: 500 },
  critical: { files: 50, lines: 2000 },
} as const;

/** A change reaches a level when it changes at least `files` files or at least `lines` lines. */
export const blastRadiusThresholdsSchema = z
  .strictObject({
    medium: levelThresholdSchema.default({ ...DEFAULT_BLAST_RADIUS_THRESHOLDS.medium }),
    high: levelThresholdSchema.default({ ...DEFAULT_BLAST_RADIUS_THRESHOLDS.high }),
    critical: levelThresholdSchema.default({ ...DEFAULT_BLAST_RADIUS_THRESHOLDS.critical }),
  })
  .superRefine((t, ctx) => {
    for (const key of ['files', 'lines'] as const) {
      if (t.high[key] < t.medium[key]) {
        ctx.addIssue({
          code: 'custom',
          path: ['high', key],
          message: `Must be at least medium.${key} (${t.medium[key]})`,
        });
      }
      if (t.critical[key] < t.high[key]) {
        ctx.addIssue({
          code: 'custom',
          path: ['critical', key],
          message: `Must be at least high.${key} (${t.high[key]})`,
        });
      }
    }
  });
export type BlastRadiusThresholds = z.output<typeof blastRadiusThresholdsSchema>;

// ---------------------------------------------------------------------------------------------
// Rules

/**
 * What a rule matches. Every field is optional and every given field must hold (AND); an empty
 * match holds for every call. A condition about a fact the call does not have (a branch glob on
 * a call without a branch, `ciStatus` on a room without CI) does not hold.
 */
export const matchSchema = z.strictObject({
  /** Tool names, or the groups "read" / "write". */
  tools: z
    .array(z.enum([...TOOL_NAMES, 'read', 'write']))
    .min(1, 'List at least one tool (or leave the field out)')
    .optional(),
  roles: z.array(z.enum(ROLES)).min(1, 'List at least one role (or leave the field out)').optional(),
  /** Globs on the call's target branch; "$room" stands for the room's branch pattern. */
  branches: branchPatternListSchema.optional(),
  /** Globs on a pull request's base branch; "$room" stands for the room's branch pattern. */
  baseBranches: branchPatternListSchema.optional(),
  /** true: the target is the room's default branch or a protected one; false: it is neither. */
  protectedTarget: z.boolean().optional(),
  /** Holds when a NEW branch's name does not match this glob ("$room": the room's pattern). */
  branchNameNotMatching: branchPatternSchema.optional(),
  /** `any`: some changed path matches one of the globs; `all`: every changed path matches one. */
  paths: z
    .strictObject({ any: pathPatternListSchema.optional(), all: pathPatternListSchema.optional() })
    .refine((p) => p.any !== undefined || p.all !== undefined, 'Give "any" or "all" (or both)')
    .optional(),
  /** true: some changed path is sensitive (CI/CD, infrastructure, auth, ...); false: none is. */
  sensitivePaths: z.boolean().optional(),
  /** At least this many changed files. */
  minFiles: countSchema.optional(),
  /** At least this many changed lines (additions + deletions). */
  minLines: countSchema.optional(),
  /** The call's blast radius is at least this level (reads have none). */
  blastRadius: z.enum(BLAST_RADIUS_LEVELS).optional(),
  /** true: now is inside one of the policy's freeze windows; false: outside all of them. */
  duringFreeze: z.boolean().optional(),
  /** true: the pushed content contains something that looks like a secret; false: it does not. */
  secretsFound: z.boolean().optional(),
  /** The pull request's CI status is one of these (only github rooms report one). */
  ciStatus: z.array(z.enum(CI_STATUSES)).min(1, 'List at least one status (or leave the field out)').optional(),
  /**
   * true: the pull request has an approving review on GitHub; false: it has none (or a reviewer
   * asked for changes). Only github rooms report reviews.
   */
  reviewApproved: z.boolean().optional(),
});
export type Match = z.output<typeof matchSchema>;

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const ruleSchema = z
  .strictObject({
    id: z.string().regex(RULE_ID, 'Use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'),
    name: z.string().trim().min(1, 'Give the rule a name').max(120),
    description: z.string().max(1000).optional(),
    enabled: z.boolean().default(true),
    /** The preset this rule was created from, if any. */
    preset: z.string().regex(RULE_ID, 'Not a preset key').optional(),
    match: matchSchema,
    effect: z.enum(EFFECTS),
    /** How many reviewers must approve (require_approval only; default 1). */
    approvals: z
      .number()
      .int('Must be a whole number')
      .min(1, 'At least 1 approval')
      .max(MAX_APPROVALS, `At most ${MAX_APPROVALS} approvals`)
      .optional(),
    /**
     * What the agent is told. Placeholders: {rule}, {branch}, {baseBranch}, {newBranch},
     * {branchPattern}, {freezeWindow}, {secrets}, {blastRadius}.
     */
    message: z.string().trim().min(1).max(2000).optional(),
  })
  .transform((rule, ctx) => {
    if (rule.effect !== 'require_approval') {
      if (rule.approvals !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['approvals'],
          message: 'Only a require_approval rule takes a number of approvals',
        });
      }
      return rule;
    }
    return { ...rule, approvals: rule.approvals ?? 1 };
  });
export type Rule = z.output<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

// ---------------------------------------------------------------------------------------------
// The policy document

export const MAX_RULES = 200;
export const MAX_FREEZE_WINDOWS = 50;

export const policyDocumentSchema = z
  .strictObject({
    /** What happens to a call no enabled rule matches. */
    defaultEffect: z.enum(DEFAULT_EFFECTS).default('require_approval'),
    rules: z.array(ruleSchema).max(MAX_RULES, `At most ${MAX_RULES} rules`).default([]),
    freezeWindows: z
      .array(freezeWindowSchema)
      .max(MAX_FREEZE_WINDOWS, `At most ${MAX_FREEZE_WINDOWS} freeze windows`)
      .default([]),
    blastRadius: blastRadiusThresholdsSchema.default({
      medium: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.medium },
      high: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.high },
      critical: { ...DEFAULT_BLAST_RADIUS_THRESHOLDS.critical },
    }),
  })
  .superRefine(
    (doc, ctx) => {
      // Runs even when other fields have problems, so every mistake is reported at once; the
      // value may then be partly invalid, hence the defensive reads.
      const rules: unknown = (doc as { rules?: unknown }).rules;
      if (!Array.isArray(rules)) return;
      const seen = new Map<string, number>();
      rules.forEach((rule: { id?: unknown }, index) => {
        if (typeof rule?.id !== 'string') return;
        const first = seen.get(rule.id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['rules', index, 'id'],
            message: `Rule id "${rule.id}" is already used by rule ${first + 1}`,
          });
        } else {
          seen.set(rule.id, index);
        }
      });
    },
    { when: () => true },
  );
export type PolicyDocument = z.output<typeof policyDocumentSchema>;
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;

// ---------------------------------------------------------------------------------------------
// The facts a decision is made from (the gateway builds them; the simulator parses them)

export const changedFileSchema = z.strictObject({
  path: z.string().min(1),
  status: z.enum(CHANGE_STATUSES),
  additions: countSchema,
  deletions: countSchema,
});
export type ChangedFile = z.output<typeof changedFileSchema>;

export const fileContentSchema = z.strictObject({ path: z.string().min(1), content: z.string() });
export type FileContent = z.output<typeof fileContentSchema>;

/**
 * One tool call, as policy sees it. What the gateway should put in `branch` per tool:
 * create_branch → the new branch (also `newBranch`); push_files → the branch pushed to (plus
 * `newBranch` when the push creates it); create_pull_request → the head branch, with `baseBranch`;
 * merge_pull_request → the base branch merged into, with `baseBranch` and the PR's `changes` and
 * `ciStatus`; delete_branch → the branch deleted; reads → the branch read, if any.
 */
export const callFactsSchema = z.strictObject({
  tool: z.enum(TOOL_NAMES),
  role: z.enum(ROLES),
  branch: z.string().min(1).optional(),
  baseBranch: z.string().min(1).optional(),
  newBranch: z.string().min(1).optional(),
  changes: z.array(changedFileSchema).optional(),
  /** Pushed text, for secret scanning. */
  contents: z.array(fileContentSchema).optional(),
  /** Set by github rooms for pull-request calls; absent where there is no CI to ask. */
  ciStatus: z.enum(CI_STATUSES).optional(),
  /** Set by github rooms for merges: does the pull request have an approving GitHub review? */
  reviewApproved: z.boolean().optional(),
  /** The moment of the call, passed in so evaluation never reads the clock. */
  now: z.coerce.date(),
});
export type CallFacts = z.output<typeof callFactsSchema>;

export const roomFactsSchema = z.strictObject({
  defaultBranch: z.string().min(1),
  /** Names or branch patterns (GitHub semantics). */
  protectedBranches: z.array(z.string().min(1)),
  /** The pattern agents' new branches must match, e.g. "aegis/**". */
  branchPattern: z.string().min(1),
});
export type RoomFacts = z.output<typeof roomFactsSchema>;
