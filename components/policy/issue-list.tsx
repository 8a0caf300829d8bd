import type { PolicyIssue } from '@/lib/policy/policy-io';

/** Every problem with a policy, each with the path of its field ("rules[2].match.branches[0]"). */
export function IssueList({ issues, label }: { issues: readonly PolicyIssue[]; label: string }) {
  if (issues.length === 0) return null;
  return (
    <ul aria-label={label} className="space-y-1 rounded-md bg-red-50 px-3 py-2 text-sm ring-1 ring-inset ring-red-200">
      {issues.map((issue, i) => (
        <li key={i} className="text-red-800">
          <code className="rounded bg-red-100 px-1 py-0.5 font-mono text-xs text-red-900">{issue.path}</code>{' '}
          <span className="whitespace-pre-wrap">{issue.message}</span>
        </li>
      ))}
    </ul>
  );
}
