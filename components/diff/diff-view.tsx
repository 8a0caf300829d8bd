// A unified diff, rendered per file with line numbers: added lines green, removed lines red, hunk
// headers set apart. Pure presentation with no client code, so server components can render it
// (change requests, pushes waiting for approval). Long diffs are cut with a note.
import { parsePatch, type DiffLine, type PatchFile } from './parse-patch';

/** Lines rendered before the rest of a diff is cut (a browser struggles well before git does). */
export const DEFAULT_MAX_DIFF_LINES = 2000;

const FILE_STATUS_LABEL: Record<PatchFile['status'], string | undefined> = {
  added: 'added',
  deleted: 'deleted',
  modified: undefined,
};

/** The id of a file's section in a DiffView, so a file list can link to it. */
export function diffFileAnchor(path: string, idPrefix = 'diff'): string {
  // FNV-1a: short, stable, and valid in an id and a URL fragment whatever the path holds.
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${idPrefix}-${hash.toString(16).padStart(8, '0')}`;
}

const ROW_STYLE: Record<DiffLine['kind'], { row: string; sign: string; prefix: string }> = {
  added: { row: 'bg-emerald-50', sign: 'text-emerald-700', prefix: '+' },
  removed: { row: 'bg-red-50', sign: 'text-red-700', prefix: '-' },
  context: { row: '', sign: 'text-slate-400', prefix: ' ' },
  hunk: { row: 'bg-indigo-50/70', sign: 'text-indigo-400', prefix: '' },
  note: { row: '', sign: 'text-slate-400', prefix: '' },
};

// On a phone long lines wrap (indentation kept) so a reviewer reads them without scrolling
// sideways; on wider screens they stay on one line and the file's box scrolls.
const CODE_CELL = 'px-3 whitespace-pre-wrap wrap-anywhere sm:whitespace-pre sm:wrap-normal';

function LineRow({ line }: { line: DiffLine }) {
  const style = ROW_STYLE[line.kind];
  if (line.kind === 'hunk' || line.kind === 'note') {
    return (
      <tr className={style.row} data-line-kind={line.kind}>
        <td colSpan={2} className="select-none border-r border-slate-200 px-2" aria-hidden="true" />
        <td className={`${CODE_CELL} py-0.5 ${line.kind === 'hunk' ? 'text-indigo-700' : 'italic text-slate-500'}`}>
          {line.text}
        </td>
      </tr>
    );
  }
  const numberCell = 'w-9 min-w-9 select-none px-1.5 text-right align-top tabular-nums sm:w-12 sm:min-w-12 sm:px-2';
  return (
    <tr className={style.row} data-line-kind={line.kind}>
      <td className={`${numberCell} ${line.kind === 'added' ? 'text-emerald-600/60' : 'text-slate-400'}`}>
        {line.oldNumber ?? ''}
      </td>
      <td
        className={`${numberCell} border-r border-slate-200 ${line.kind === 'removed' ? 'text-red-600/60' : 'text-slate-400'}`}
      >
        {line.newNumber ?? ''}
      </td>
      <td className={`${CODE_CELL} text-slate-800`}>
        <span className={`select-none ${style.sign}`}>{style.prefix}</span>
        {line.text}
      </td>
    </tr>
  );
}

function FileCounts({ additions, deletions }: { additions: number; deletions: number }) {
  return (
    <span className="shrink-0 font-mono text-xs tabular-nums">
      <span className="text-emerald-700" aria-label={`${additions} added`}>
        +{additions}
      </span>{' '}
      <span className="text-red-700" aria-label={`${deletions} removed`}>
        −{deletions}
      </span>
    </span>
  );
}

function FileSection({
  file,
  lines,
  cut,
  idPrefix,
}: {
  file: PatchFile;
  lines: DiffLine[];
  cut: boolean;
  idPrefix: string;
}) {
  const additions = file.lines.filter((l) => l.kind === 'added').length;
  const deletions = file.lines.filter((l) => l.kind === 'removed').length;
  const status = FILE_STATUS_LABEL[file.status];
  return (
    <section
      id={diffFileAnchor(file.path, idPrefix)}
      aria-label={`Changes in ${file.path}`}
      className="overflow-hidden rounded-md ring-1 ring-slate-200"
    >
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-slate-50 px-3 py-2">
        <h3 className="min-w-0 font-mono text-xs font-semibold wrap-anywhere text-slate-900">
          {file.path}
          {status && <span className="ml-2 font-sans font-normal text-slate-500">({status})</span>}
        </h3>
        {!file.binary && <FileCounts additions={additions} deletions={deletions} />}
      </header>
      {file.notes.length > 0 && (
        <ul className="border-b border-slate-100 px-3 py-1.5 text-xs text-slate-500 last:border-b-0">
          {file.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      {lines.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse font-mono text-xs leading-5" aria-label={`Diff of ${file.path}`}>
            <tbody>
              {lines.map((line, i) => (
                <LineRow key={i} line={line} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cut && (
        <p className="border-t border-slate-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900">
          The rest of this file is not shown.
        </p>
      )}
      {file.lines.length === 0 && file.notes.length === 0 && (
        <p className="px-3 py-2 text-xs text-slate-500">No content changes.</p>
      )}
    </section>
  );
}

export function DiffView({
  patch,
  truncated = false,
  maxLines = DEFAULT_MAX_DIFF_LINES,
  idPrefix = 'diff',
}: {
  /** Unified diff text (`git diff` format). */
  patch: string;
  /** The producer already cut the text (lib/git's maxDiffBytes): say so. */
  truncated?: boolean;
  maxLines?: number;
  /** Prefix of the files' anchor ids; give each DiffView on one page its own. */
  idPrefix?: string;
}) {
  const files = parsePatch(patch);
  if (files.length === 0) {
    return <p className="text-sm text-slate-500">{truncated ? 'This diff is too large to show.' : 'No changes.'}</p>;
  }

  const totalLines = files.reduce((n, f) => n + f.lines.length, 0);
  let budget = maxLines;
  const shown: { file: PatchFile; lines: DiffLine[]; cut: boolean }[] = [];
  for (const file of files) {
    if (budget <= 0) break;
    const lines = file.lines.slice(0, budget);
    budget -= lines.length;
    shown.push({ file, lines, cut: lines.length < file.lines.length });
  }
  const hiddenFiles = files.length - shown.length;
  const shownLines = shown.reduce((n, s) => n + s.lines.length, 0);
  const cut = shownLines < totalLines || truncated;

  return (
    <div className="space-y-4">
      {shown.map(({ file, lines, cut: fileCut }, i) => (
        <FileSection key={`${i}-${file.path}`} file={file} lines={lines} cut={fileCut} idPrefix={idPrefix} />
      ))}
      {cut && (
        <p
          role="note"
          className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200"
        >
          This diff is long and was cut
          {shownLines < totalLines
            ? `: showing the first ${shownLines.toLocaleString('en-US')} of ${totalLines.toLocaleString('en-US')} lines`
            : ''}
          {hiddenFiles > 0 ? `; ${hiddenFiles} more ${hiddenFiles === 1 ? 'file is' : 'files are'} not shown` : ''}
          {truncated ? '; the repository returned only part of it' : ''}.
        </p>
      )}
    </div>
  );
}
