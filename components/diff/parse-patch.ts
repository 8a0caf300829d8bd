// Splits unified diff text (`git diff` format, as lib/git produces it) into files, hunks and lines
// with their old/new line numbers, so the diff view can render it without any client code.

export type DiffLineKind = 'added' | 'removed' | 'context' | 'hunk' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** The line without its +/-/space prefix (for hunks: the whole `@@ … @@` header). */
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
}

export interface PatchFile {
  path: string;
  status: 'added' | 'deleted' | 'modified';
  binary: boolean;
  /** Header lines that say something a reader needs: mode changes, "Binary files … differ". */
  notes: string[];
  lines: DiffLine[];
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** git quotes paths with unusual characters ("a/t\303\251st.txt"); turn them back into text. */
function unquote(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) {
      const next = body[i + 1];
      if (/[0-7]/.test(next)) {
        bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
        i += 3;
        continue;
      }
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
      continue;
    }
    bytes.push(...new TextEncoder().encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

function stripSide(path: string, side: 'a/' | 'b/'): string {
  // `--- a/name with spaces` ends in a tab, which marks where the name ends.
  const plain = unquote(path.replace(/\t$/, ''));
  return plain.startsWith(side) ? plain.slice(2) : plain;
}

/** `diff --git a/P b/P` (renames are off, so both sides name the same path). */
function pathFromGitHeader(line: string): string {
  const rest = line.slice('diff --git '.length);
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    if (end !== -1) return stripSide(rest.slice(0, end + 1), 'a/');
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const left = rest.slice(0, half);
    const right = rest.slice(half + 1);
    if (left.startsWith('a/') && right.startsWith('b/') && left.slice(2) === right.slice(2)) return left.slice(2);
  }
  return stripSide(rest.split(' ')[0] ?? rest, 'a/');
}

export function parsePatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | undefined;
  let inHunk = false;
  let oldLine = 0;
  let newLine = 0;

  const lines = patch.split('\n');
  if (lines.at(-1) === '') lines.pop();

  for (const line of lines) {
    if (line.startsWith('diff --git ')) {
      file = { path: pathFromGitHeader(line), status: 'modified', binary: false, notes: [], lines: [] };
      files.push(file);
      inHunk = false;
      continue;
    }
    if (!file) continue; // anything before the first file header is not part of a file
    const hunk = HUNK.exec(line);
    if (hunk) {
      inHunk = true;
      oldLine = Number(hunk[1]);
      newLine = Number(hunk[2]);
      file.lines.push({ kind: 'hunk', text: line, oldNumber: null, newNumber: null });
      continue;
    }
    if (!inHunk) {
      if (line.startsWith('new file mode')) file.status = 'added';
      else if (line.startsWith('deleted file mode')) file.status = 'deleted';
      else if (line.startsWith('+++ ') && line !== '+++ /dev/null') file.path = stripSide(line.slice(4), 'b/');
      else if (line.startsWith('--- ') && line !== '--- /dev/null' && file.status === 'deleted') {
        file.path = stripSide(line.slice(4), 'a/');
      }
      if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
        file.binary = true;
        file.notes.push('Binary file changed');
      } else if (line.startsWith('old mode ') || line.startsWith('new mode ')) {
        file.notes.push(line);
      }
      continue;
    }
    const sign = line[0];
    if (sign === '+') {
      file.lines.push({ kind: 'added', text: line.slice(1), oldNumber: null, newNumber: newLine++ });
    } else if (sign === '-') {
      file.lines.push({ kind: 'removed', text: line.slice(1), oldNumber: oldLine++, newNumber: null });
    } else if (sign === '\\') {
      file.lines.push({ kind: 'note', text: line.slice(2), oldNumber: null, newNumber: null });
    } else {
      file.lines.push({ kind: 'context', text: line.slice(1), oldNumber: oldLine++, newNumber: newLine++ });
    }
  }
  return files;
}
