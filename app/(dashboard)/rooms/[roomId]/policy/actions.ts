'use server';

// The policy page's server actions: thin adapters from the editor, the import box and the
// simulator to lib/policies. Access is checked there (saveRoomPolicy refuses a DEVELOPER; every
// function scopes the room to the caller's membership).
import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { formErrorState } from '@/lib/form-errors';
import { saveRoomPolicy } from '@/lib/policies/room-policy';
import { simulateCall } from '@/lib/policies/simulate-call';
import { parsePolicy, type PolicyFormat, type PolicyIssue } from '@/lib/policy/policy-io';
import type { SavePolicyResult, SimulateResult } from '@/components/policy/types';

function saveFailure(error: unknown): SavePolicyResult {
  if (isAppError(error)) {
    const issues = Array.isArray(error.details?.issues) ? (error.details.issues as PolicyIssue[]) : undefined;
    if (error.code === 'invalid_input' && issues?.length) {
      const count = issues.length === 1 ? 'a problem' : `${issues.length} problems`;
      return { ok: false, message: `Nothing was saved: the policy has ${count}.`, issues };
    }
    return { ok: false, message: error.message };
  }
  return { ok: false, message: formErrorState(error).message ?? 'Something went wrong. Please try again.' };
}

async function save(roomId: string, document: unknown, basedOnVersion: number): Promise<SavePolicyResult> {
  const user = await requireUser();
  try {
    const saved = await saveRoomPolicy(user.id, roomId, document, basedOnVersion);
    revalidatePath(`/rooms/${roomId}/policy`);
    return { ok: true, version: saved.version, document: saved.document };
  } catch (error) {
    return saveFailure(error);
  }
}

/** Saves the editor's whole document as a new version on top of `basedOnVersion`. */
export async function savePolicyAction(
  roomId: string,
  basedOnVersion: number,
  document: unknown,
): Promise<SavePolicyResult> {
  return save(roomId, document, basedOnVersion);
}

/** Replaces the policy with one written as JSON or YAML; nothing is saved when it does not parse. */
export async function importPolicyAction(
  roomId: string,
  basedOnVersion: number,
  text: string,
  format: PolicyFormat,
): Promise<SavePolicyResult> {
  await requireUser();
  let document;
  try {
    document = parsePolicy(String(text ?? ''), format);
  } catch (error) {
    return saveFailure(error);
  }
  return save(roomId, document, basedOnVersion);
}

/** Asks the gateway's decision step what it would do with a call; nothing is executed. */
export async function simulateAction(roomId: string, input: unknown): Promise<SimulateResult> {
  const user = await requireUser();
  try {
    const { decision, rules, policyVersion } = await simulateCall(
      user.id,
      roomId,
      input as Parameters<typeof simulateCall>[2],
    );
    const { facts } = decision;
    return {
      ok: true,
      outcome: {
        effect: decision.effect,
        ruleId: decision.ruleId,
        ruleName: decision.ruleName,
        reason: decision.reason,
        message: decision.message,
        approvals: decision.approvals,
        blastRadius: decision.blastRadius,
        blastRadiusReasons: decision.blastRadiusReasons,
        secretFindings: decision.secretFindings.map(({ path, line, kind, redacted }) => ({
          path,
          line,
          kind,
          redacted,
        })),
        policyVersion,
        // the pushed content stays out: the browser already has it, and it may hold a secret
        facts: {
          tool: facts.tool,
          role: facts.role,
          branch: facts.branch,
          baseBranch: facts.baseBranch,
          newBranch: facts.newBranch,
          changes: facts.changes,
          ciStatus: facts.ciStatus,
          at: facts.now.toISOString(),
        },
        rules: rules.map((r) => ({ ...r, failed: [...r.failed] })),
      },
    };
  } catch (error) {
    const state = formErrorState(error);
    return { ok: false, message: state.message, fieldErrors: state.fieldErrors };
  }
}
