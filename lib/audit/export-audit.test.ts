// Exporting the audit log: CSV quoting and formula-injection safety, JSON lines, the same scope and
// filters as the list, and bad input refused before anything is streamed.
import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, exportAuditLog } from './export-audit';
import { addAuditTestMember, createAuditTestRoom, createAuditTestUser, decision } from './test-fixtures';

async function collect(chunks: AsyncIterable<string>) {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

/** A small RFC 4180 parser, to read the export back as a spreadsheet would. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+1+1')).toBe("'+1+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('ends rows with CRLF', () => {
    expect(csvRow(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });
});

describe('exportAuditLog', () => {
  it('exports the filtered log as CSV that reads back exactly', async () => {
    const me = await createAuditTestUser('me');
    const room = await createAuditTestRoom(me, 'payments, "core"');
    const stranger = await createAuditTestUser('stranger');
    const theirs = await createAuditTestRoom(stranger);
    const tricky = await decision(room.id, me.id, {
      tool: 'push_files',
      reason: '=cmd|"/c calc"!A1\nsecond line',
      arguments: { message: 'fix, "quoted"\nand more' },
      decision: 'block',
    });
    await decision(room.id, me.id, { tool: 'create_branch' });
    await decision(theirs.id, stranger.id, { tool: 'push_files' });

    const all = await exportAuditLog(me.id, 'csv', {});
    expect(all.contentType).toBe('text/csv; charset=utf-8');
    expect(all.filename).toMatch(/^aegis-audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.csv$/);
    const rows = parseCsv(await collect(all.chunks));
    expect(rows).toHaveLength(3);
    const [header, ...data] = rows;
    expect(header!.slice(0, 4)).toEqual(['time', 'room', 'room_id', 'seq']);
    const row = Object.fromEntries(header!.map((h, i) => [h, data.find((r) => r.includes(tricky.id))![i]]));
    expect(row).toMatchObject({
      room: 'payments, "core"',
      tool: 'push_files',
      decision: 'block',
      reason: '\'=cmd|"/c calc"!A1\nsecond line',
      user_email: me.email,
      hash: tricky.hash,
    });
    expect(JSON.parse(row.arguments!)).toEqual({ message: 'fix, "quoted"\nand more' });

    const filtered = parseCsv(await collect((await exportAuditLog(me.id, 'csv', { tool: 'create_branch' })).chunks));
    expect(filtered).toHaveLength(2);
  });

  it('exports JSON lines, one call per line, across more than one batch', async () => {
    const me = await createAuditTestUser('me');
    const colleague = await createAuditTestUser('colleague');
    const room = await createAuditTestRoom(me);
    await addAuditTestMember(room.id, colleague.id);
    for (let i = 0; i < 11; i++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => decision(room.id, me.id, { arguments: { n: i * 50 + j } })),
      );
    }
    await decision(room.id, colleague.id, { tool: 'delete_branch' });
    const result = await exportAuditLog(colleague.id, 'jsonl', { room: room.id });
    expect(result.contentType).toBe('application/jsonl; charset=utf-8');
    const lines = (await collect(result.chunks))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(551);
    expect(lines[0]).toMatchObject({ tool: 'delete_branch', userId: colleague.id, outcome: null, roomId: room.id });
    expect(new Set(lines.map((l) => l.id)).size).toBe(551);
  }, 60_000);

  it('refuses a bad format, bad filters and rooms I am not in before streaming', async () => {
    const me = await createAuditTestUser('me');
    const stranger = await createAuditTestUser('stranger');
    const theirs = await createAuditTestRoom(stranger);
    await expect(exportAuditLog(me.id, 'xlsx', {})).rejects.toThrow(/csv or jsonl/);
    await expect(exportAuditLog(me.id, 'csv', { to: 'soon' })).rejects.toThrow(/date and time/);
    await expect(exportAuditLog(me.id, 'csv', { room: theirs.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
