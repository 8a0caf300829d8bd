// Reading and writing a policy as JSON or YAML, for the policy editor's text view, import/export
// and files kept next to the code. Parsing is strict: syntax errors, duplicate keys, YAML aliases
// beyond a small budget, unknown fields and invalid values are all refused with an `invalid_input`
// AppError whose details list every problem with its field path.

import { parseDocument, stringify } from 'yaml';
import type { z } from 'zod';

import { invalid } from '../errors';
import { policyDocumentSchema, type PolicyDocument } from './policy-schema';

export type PolicyFormat = 'json' | 'yaml';

export type PolicyIssue = { path: string; message: string };

export const MAX_POLICY_TEXT_LENGTH = 512 * 1024;

/** `rules[2].match.branches[0]` for the path [rules, 2, match, branches, 0]. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(policy)';
}

/** One entry per problem; an unknown key is reported at its own path. */
export function policyIssues(error: z.ZodError): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  for (const issue of error.issues) {
    const keys = (issue as { keys?: unknown }).keys;
    if ((issue.code === 'unrecognized_keys' || Array.isArray(keys)) && Array.isArray(keys)) {
      for (const key of keys as string[]) {
        issues.push({ path: formatIssuePath([...issue.path, key]), message: `Unknown field "${key}"` });
      }
      continue;
    }
    issues.push({ path: formatIssuePath(issue.path), message: issue.message });
  }
  return issues;
}

function invalidPolicy(issues: PolicyIssue[]) {
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return invalid(`The policy is invalid: ${summary}${more}`, { issues });
}

/** Validates an already-parsed value as a policy document (defaults applied). */
export function validatePolicy(value: unknown): PolicyDocument {
  const result = policyDocumentSchema.safeParse(value);
  if (!result.success) throw invalidPolicy(policyIssues(result.error));
  return result.data;
}

function parseText(text: string, format: PolicyFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'syntax error';
      throw invalid(`The policy is not valid JSON: ${detail}`, {
        issues: [{ path: '(policy)', message: `Not valid JSON: ${detail}` }],
      });
    }
  }
  const doc = parseDocument(text, {
    prettyErrors: true,
    uniqueKeys: true,
    strict: true,
    schema: 'core',
    customTags: [],
  });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((error) => ({ path: '(policy)', message: `Not valid YAML: ${error.message}` }));
    throw invalid(`The policy is not valid YAML: ${doc.errors[0]!.message}`, { issues });
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // the yaml library refuses documents whose aliases expand too far ("billion laughs")
    const detail = error instanceof Error ? error.message : 'cannot be read';
    throw invalid(`The policy is not valid YAML: ${detail}`, {
      issues: [{ path: '(policy)', message: `Not valid YAML: ${detail}` }],
    });
  }
}

/**
 * Parses a policy from JSON or YAML text and validates it. Throws an `invalid_input` AppError
 * whose `details.issues` lists `{ path, message }` for every problem.
 */
export function parsePolicy(text: string, format: PolicyFormat): PolicyDocument {
  if (format !== 'json' && format !== 'yaml') throw invalid(`Unknown policy format "${String(format)}"`);
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalid('The policy is empty', { issues: [{ path: '(policy)', message: 'The policy is empty' }] });
  }
  if (text.length > MAX_POLICY_TEXT_LENGTH) {
    throw invalid(`The policy is too long (at most ${MAX_POLICY_TEXT_LENGTH} characters)`);
  }
  return validatePolicy(parseText(text, format));
}

/** Writes a policy as JSON or YAML; `parsePolicy(serializePolicy(doc, f), f)` gives `doc` back. */
export function serializePolicy(doc: PolicyDocument, format: PolicyFormat): string {
  const plain = JSON.parse(JSON.stringify(doc)) as unknown; // drops undefined fields
  if (format === 'json') return `${JSON.stringify(plain, null, 2)}\n`;
  if (format === 'yaml') return stringify(plain, { lineWidth: 0, aliasDuplicateObjects: false });
  throw invalid(`Unknown policy format "${String(format)}"`);
}
