// The decision step: the room's current policy evaluated on the call's facts. Shared by the live
// gateway and the simulator, so both decide alike for the same input.
import { evaluatePolicy, BLAST_RADIUS_LABELS, type Decision } from '../policy';
import { currentRoomPolicy } from '../policies/room-policy';
import { gatherCallFacts, type GatherOptions, type GatheredFacts } from './call-facts';
import type { ToolContext } from './tools/tool-types';

export type GatewayDecision = {
  effect: Decision['effect'];
  ruleId: string | null;
  ruleName: string;
  /** For the audit log: the rule's name plus what made it match. */
  reason: string;
  /** What the agent is told when blocked. */
  message?: string;
  approvals?: number;
  blastRadius: string | null;
  blastRadiusReasons: string[];
  policyVersion: number;
  secretFindings: Decision['secretFindings'];
  gathered: GatheredFacts;
};

export async function decideCall(
  context: ToolContext,
  tool: string,
  args: Record<string, unknown>,
  options: GatherOptions = {},
): Promise<GatewayDecision> {
  const policy = await currentRoomPolicy(context.room.id);
  const gathered = await gatherCallFacts(context, tool, args, options);
  const decision = evaluatePolicy(policy.document, gathered.facts, context.room);
  const findings = decision.secretFindings.map((f) => `${f.kind} in ${f.path}:${f.line}`);
  const reason = [
    decision.ruleId
      ? `rule "${decision.ruleName}"`
      : decision.ruleName === 'default'
        ? 'default effect'
        : decision.ruleName,
    findings.length ? `secrets: ${findings.join(', ')}` : null,
    decision.freeze ? `freeze window ${decision.freeze}` : null,
    decision.evaluationError ?? null,
  ]
    .filter(Boolean)
    .join('; ');
  return {
    effect: decision.effect,
    ruleId: decision.ruleId,
    ruleName: decision.ruleName,
    reason,
    message: decision.message,
    approvals: decision.approvals,
    blastRadius: decision.blastRadius ? BLAST_RADIUS_LABELS[decision.blastRadius.level] : null,
    blastRadiusReasons: decision.blastRadius?.reasons ?? [],
    policyVersion: policy.version,
    secretFindings: decision.secretFindings,
    gathered,
  };
}
