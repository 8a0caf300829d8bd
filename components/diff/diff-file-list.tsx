// The files a change touches with their added/removed line counts (from lib/git's DiffStats),
// each linking to its section in a DiffView on the same page.
import { diffFileAnchor } from './diff-view';

export interface DiffFileSummary {
  path: string;
  status: 'added' | 'modified' | 'deleted';
  additions: number;
  deletions: number;
  binary: boolean;
}

export function DiffFileList({
  files,
  idPrefix = 'diff',
  label = 'Files changed',
}: {
  files: DiffFileSummary[];
  /** The idPrefix of the DiffView the entries link to. */
  idPrefix?: string;
  label?: string;
}) {
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return (
    <div>
      <p className="mb-2 text-sm text-slate-700">
        <span className="font-semibold">
          {files.length} {files.length === 1 ? 'file' : 'files'} changed
        </span>{' '}
        <span className="font-mono text-xs">
          <span className="text-emerald-700">+{additions}</span> <span className="text-red-700">−{deletions}</span>
        </span>
      </p>
      {files.length > 0 && (
        <ul aria-label={label} className="divide-y divide-slate-100 rounded-md text-sm ring-1 ring-slate-200">
          {files.map((file) => (
            <li key={file.path} className="flex items-center justify-between gap-4 px-3 py-1.5">
              <a
                href={`#${diffFileAnchor(file.path, idPrefix)}`}
                className="min-w-0 font-mono text-xs wrap-anywhere text-indigo-700 hover:underline"
                title={file.path}
              >
                {file.path}
              </a>
              <span className="flex shrink-0 items-center gap-2 font-mono text-xs tabular-nums">
                {file.status !== 'modified' && (
                  <span className={file.status === 'added' ? 'text-emerald-700' : 'text-red-700'}>{file.status}</span>
                )}
                {file.binary ? (
                  <span className="text-slate-500">binary</span>
                ) : (
                  <>
                    <span className="text-emerald-700">+{file.additions}</span>
                    <span className="text-red-700">−{file.deletions}</span>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
