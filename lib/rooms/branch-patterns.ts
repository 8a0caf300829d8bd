// The branch patterns a person types for a room — its protected branches and the pattern agents'
// new branches must match — checked with the matcher and semantics the policy engine uses
// (lib/policy/patterns.ts: GitHub branch-protection semantics, no braces, no negation).
//
// The engine would accept more: a brace or a leading "!" is simply a literal character there, and
// a pattern no branch name can match is just a rule that never applies. Typed into a room's
// settings, each of those is a mistake that protects nothing while looking as if it did
// ("release/{a,b}" protects neither release/a nor release/b), so it is refused with a reason:
//   - braces and a leading "!" (syntax of other glob dialects, literal here);
//   - a comma: patterns are entered one per line, and "main,release/*" would otherwise be one
//     pattern matching the branch literally named so;
//   - anything that makes every branch it could match an invalid git branch name ("-bad",
//     "*.lock", ".hidden/*", "a..b", "refs/heads/*").

import { branchNameProblem } from '../git/validate-ref';
import { branchPatternProblem, matchBranch } from '../policy/patterns';

/**
 * One branch name the pattern matches, built by putting "x" for every wildcard (a class's first
 * member for a class); null when the pattern is not written simply enough to build one. Any
 * branch the pattern matches shares its literal characters, so if this one is not a valid branch
 * name (a leading "-", a ".lock" ending...), no branch the pattern could match is.
 */
function exampleBranch(pattern: string): string | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return null;
      out += next;
      i++;
    } else if (ch === '*') {
      while (pattern[i + 1] === '*') i++;
      out += 'x';
    } else if (ch === '?') {
      out += 'x';
    } else if (ch === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        out += ch;
        continue;
      }
      const first = pattern[i + 1]!;
      out += first === '!' || first === '^' || first === '\\' ? 'x' : first;
      i = close;
    } else {
      out += ch;
    }
  }
  return matchBranch(pattern, out) ? out : null;
}

/** Why a room's branch pattern is refused, or null when it is fine. */
export function roomBranchPatternProblem(pattern: string): string | null {
  const problem = branchPatternProblem(pattern);
  if (problem) return problem;
  if (/[{}]/.test(pattern)) {
    return 'must not use braces: branch patterns have no {a,b} alternatives (put each pattern on its own line)';
  }
  if (pattern.startsWith('!')) return 'must not start with "!": branch patterns cannot be negated';
  if (pattern.includes(',')) return 'must not contain a comma: put each pattern on its own line';
  const example = exampleBranch(pattern);
  if (example !== null) {
    const nameProblem = branchNameProblem(example);
    if (nameProblem) return `can never match a branch: a branch name ${nameProblem}`;
  }
  return null;
}
