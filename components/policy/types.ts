// What the policy page's server actions hand back to its client components.
import type { PolicyDocument } from '@/lib/policy/policy-schema';
import type { PolicyIssue } from '@/lib/policy/policy-io';

export type SavePolicyResult =
  { ok: true; version: number; document: PolicyDocument } | { ok: false; message: string; issues?: PolicyIssue[] };

export type SimulationFinding = { path: string; line: number; kind: string; redacted: string };

export type SimulationTrace = {
  ruleId: string;
  ruleName: string;
  enabled: boolean;
  matched: boolean;
  failed: string[];
  decisive: boolean;
};

export type SimulationOutcome = {
  effect: 'allow' | 'rewrite' | 'require_approval' | 'block';
  ruleId: string | null;
  ruleName: string;
  /** The rule's name plus what made it match, as the audit log records it. */
  reason: string;
  message?: string;
  approvals?: number;
  blastRadius: string | null;
  blastRadiusReasons: string[];
  secretFindings: SimulationFinding[];
  policyVersion: number;
  /** What the gateway would know about the call (pushed content left out). */
  facts: {
    tool: string;
    role: string;
    branch?: string;
    baseBranch?: string;
    newBranch?: string;
    changes?: { path: string; status: string; additions: number; deletions: number }[];
    ciStatus?: string;
    at: string;
  };
  rules: SimulationTrace[];
};

export type SimulateResult =
  | { ok: true; outcome: SimulationOutcome }
  | { ok: false; message?: string; fieldErrors?: Record<string, string | undefined> };
