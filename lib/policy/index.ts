// The policy module's public API: rule schema, evaluation, presets, blast radius, secret
// scanning and pattern matching. Pure and free of Next.js and the database.

export {
  BLAST_RADIUS_LABELS,
  BLAST_RADIUS_LEVELS,
  CHANGE_STATUSES,
  CI_STATUSES,
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  DEFAULT_EFFECTS,
  EFFECTS,
  READ_TOOLS,
  ROLES,
  ROOM_BRANCH_PATTERN,
  TOOL_GROUPS,
  TOOL_NAMES,
  WEEKDAYS,
  WRITE_TOOLS,
  blastRadiusThresholdsSchema,
  callFactsSchema,
  changedFileSchema,
  dailyFreezeWindowSchema,
  fileContentSchema,
  freezeWindowSchema,
  isReadTool,
  isValidTimeZone,
  matchSchema,
  oneOffFreezeWindowSchema,
  policyDocumentSchema,
  roomFactsSchema,
  ruleSchema,
  weeklyFreezeWindowSchema,
} from './policy-schema';
export type {
  BlastRadiusLevel,
  BlastRadiusThresholds,
  CallFacts,
  ChangedFile,
  CiStatus,
  DailyFreezeWindow,
  DefaultEffect,
  Effect,
  FileContent,
  FreezeWindow,
  Match,
  OneOffFreezeWindow,
  PolicyDocument,
  PolicyDocumentInput,
  Role,
  RoomFacts,
  Rule,
  RuleInput,
  ToolName,
  Weekday,
  WeeklyFreezeWindow,
} from './policy-schema';

export {
  DEFAULT_RULE_NAME,
  EVALUATION_ERROR_MESSAGE,
  EVALUATION_ERROR_RULE_NAME,
  evaluatePolicy,
  explainPolicy,
  toolsCoveredBy,
} from './evaluate-policy';
export type { Decision, PolicyExplanation, RuleTrace } from './evaluate-policy';

export { POLICY_PRESETS, PRESET_KEYS, defaultPolicy, presetRule } from './presets';
export type { PolicyPreset } from './presets';

export { MAX_POLICY_TEXT_LENGTH, formatIssuePath, parsePolicy, serializePolicy, validatePolicy } from './policy-io';
export type { PolicyFormat, PolicyIssue } from './policy-io';

export { blastRadiusAtLeast, isProtectedTarget, rateBlastRadius } from './blast-radius';
export type { BlastRadius } from './blast-radius';

export {
  SENSITIVE_PATHS,
  SENSITIVE_PATH_CATEGORIES,
  SENSITIVE_PATH_CATEGORY_LABELS,
  isSensitivePath,
  sensitivePathCategory,
} from './sensitive-paths';
export type { SensitivePathCategory } from './sensitive-paths';

export {
  REDACTED,
  SECRETLINT_RULE_IDS,
  isSecretKey,
  redactSecret,
  redactSecretsInString,
  redactSecretsInValue,
  scanForSecrets,
} from './secret-scan';
export type { Finding, ScannedFile } from './secret-scan';

export { activeFreezeWindow, isInFreezeWindow, localDateTime } from './freeze-windows';

export {
  branchPatternProblem,
  matchAnyBranch,
  matchAnyPath,
  matchBranch,
  matchPath,
  pathPatternProblem,
} from './patterns';
