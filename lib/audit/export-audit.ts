// Exports the audit log the user can read, with the list's filters, as CSV or JSON lines. The rows
// are produced page by page as an async generator of text chunks, so a large log is streamed to the
// client and never held in memory.
import {
  actorsById,
  auditScope,
  findDecisionPage,
  latestOutcomes,
  type AuditEntryRecord,
  type AuditOutcome,
  type AuditScope,
} from './audit-query';
import {
  auditExportFormatSchema,
  auditFiltersSchema,
  type AuditExportFormat,
  type AuditFilters,
  type AuditFiltersInput,
} from './schemas';

const EXPORT_BATCH = 500;

export type AuditExport = {
  format: AuditExportFormat;
  filename: string;
  contentType: string;
  chunks: AsyncGenerator<string, void, undefined>;
};

/**
 * Validates the format and filters and checks the room filter before anything is streamed, so bad
 * input is an error response rather than a broken download. The export covers everything the
 * filters match, newest first (a `cursor` filter is ignored).
 */
export async function exportAuditLog(
  userId: string,
  format: string,
  input: AuditFiltersInput,
  now = new Date(),
): Promise<AuditExport> {
  const parsedFormat = auditExportFormatSchema.parse(format);
  const filters: AuditFilters = { ...auditFiltersSchema.parse(input), cursor: undefined };
  const scope = await auditScope(userId, filters);
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  return {
    format: parsedFormat,
    filename: `aegis-audit-${stamp}.${parsedFormat}`,
    contentType: parsedFormat === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
    chunks: parsedFormat === 'csv' ? csvChunks(scope) : jsonLinesChunks(scope),
  };
}

type ExportRecord = ReturnType<typeof exportRecord>;

function exportRecord(
  entry: AuditEntryRecord,
  roomName: string,
  actor: { name: string | null; email: string | null },
  outcome: AuditOutcome | null,
) {
  return {
    id: entry.id,
    time: entry.createdAt.toISOString(),
    roomId: entry.roomId,
    roomName,
    seq: entry.seq,
    userId: entry.userId,
    userName: actor.name,
    userEmail: actor.email,
    role: entry.role,
    sessionId: entry.sessionId,
    clientName: entry.clientName,
    tool: entry.tool,
    arguments: entry.arguments,
    decision: entry.decision,
    ruleId: entry.ruleId,
    reason: entry.reason,
    policyVersion: entry.policyVersion,
    blastRadius: entry.blastRadius,
    prevHash: entry.prevHash,
    hash: entry.hash,
    outcome: outcome && {
      id: outcome.id,
      time: outcome.createdAt.toISOString(),
      status: outcome.status,
      result: outcome.result,
      error: outcome.error,
      durationMs: outcome.durationMs,
      commitSha: outcome.commitSha,
      branch: outcome.branch,
      pullRequest: outcome.pullRequest,
    },
  };
}

async function* exportRecords(scope: AuditScope): AsyncGenerator<ExportRecord[], void, undefined> {
  let cursor: AuditFilters['cursor'];
  for (;;) {
    const { rows, nextCursor } = await findDecisionPage(scope, cursor, EXPORT_BATCH, { withArguments: true });
    const [outcomes, actors] = await Promise.all([latestOutcomes(rows), actorsById(rows.map((r) => r.userId))]);
    yield rows.map((row) =>
      exportRecord(
        row,
        scope.rooms.get(row.roomId) ?? row.roomId,
        actors.get(row.userId) ?? { name: null, email: null },
        outcomes.get(row.id) ?? null,
      ),
    );
    if (!nextCursor) return;
    const last = rows.at(-1)!;
    cursor = { createdAt: last.createdAt, roomId: last.roomId, seq: last.seq };
  }
}

const CSV_COLUMNS: [string, (r: ExportRecord) => unknown][] = [
  ['time', (r) => r.time],
  ['room', (r) => r.roomName],
  ['room_id', (r) => r.roomId],
  ['seq', (r) => r.seq],
  ['entry_id', (r) => r.id],
  ['user', (r) => r.userName],
  ['user_email', (r) => r.userEmail],
  ['user_id', (r) => r.userId],
  ['role', (r) => r.role],
  ['session_id', (r) => r.sessionId],
  ['client', (r) => r.clientName],
  ['tool', (r) => r.tool],
  ['arguments', (r) => JSON.stringify(r.arguments)],
  ['decision', (r) => r.decision],
  ['rule', (r) => r.ruleId],
  ['reason', (r) => r.reason],
  ['policy_version', (r) => r.policyVersion],
  ['blast_radius', (r) => r.blastRadius],
  ['outcome_status', (r) => r.outcome?.status],
  ['result', (r) => r.outcome?.result],
  ['error', (r) => r.outcome?.error],
  ['duration_ms', (r) => r.outcome?.durationMs],
  ['commit_sha', (r) => r.outcome?.commitSha],
  ['branch', (r) => r.outcome?.branch],
  ['pull_request', (r) => r.outcome?.pullRequest],
  ['prev_hash', (r) => r.prevHash],
  ['hash', (r) => r.hash],
];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break, with quotes doubled.
 * Text starting with = + - @ (or a tab or carriage return) gets a leading `'` so a spreadsheet
 * shows it instead of evaluating it as a formula — agents choose much of this text.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(cells: unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

async function* csvChunks(scope: AuditScope): AsyncGenerator<string, void, undefined> {
  yield csvRow(CSV_COLUMNS.map(([header]) => header));
  for await (const records of exportRecords(scope)) {
    if (records.length > 0) yield records.map((r) => csvRow(CSV_COLUMNS.map(([, cell]) => cell(r)))).join('');
  }
}

async function* jsonLinesChunks(scope: AuditScope): AsyncGenerator<string, void, undefined> {
  for await (const records of exportRecords(scope)) {
    if (records.length > 0) yield records.map((r) => `${JSON.stringify(r)}\n`).join('');
  }
}
