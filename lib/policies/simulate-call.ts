// The policy simulator: "what would happen if a DEVELOPER pushed these paths to main?" It builds
// the same tool arguments an agent would send and asks the gateway's own decision step, so the
// simulator and the live gateway decide alike for the same input. Nothing is executed.
import { z } from 'zod';
import { explainPolicy, TOOL_NAMES } from '../policy';
import { getRoomForUser } from '../rooms/get-room';
import { roomFacts } from '../gateway/room-facts';
import { decideCall } from '../gateway/decide';
import { currentRoomPolicy } from './room-policy';

const PULL_NUMBER = 'A pull request number is a whole number from 1';

export const simulationSchema = z
  .object({
    role: z.enum(['DEVELOPER', 'ADMIN', 'OWNER']),
    tool: z.enum(TOOL_NAMES),
    branch: z.string().trim().max(250).optional(),
    baseBranch: z.string().trim().max(250).optional(),
    pullNumber: z.coerce.number({ error: PULL_NUMBER }).int(PULL_NUMBER).min(1, PULL_NUMBER).optional(),
    /** Files for push_files: a path, and optionally the content the push would write. */
    files: z
      .array(z.object({ path: z.string().trim().min(1).max(4096), content: z.string().optional() }))
      .max(100)
      .default([]),
    /** When given, the moment to simulate (freeze windows); default now. */
    at: z.coerce.date({ error: 'Enter a date and time, or leave it empty for now' }).optional(),
  })
  // What the simulated call needs to be a call at all; the form shows these beside the fields.
  .superRefine((input, ctx) => {
    if (input.tool === 'push_files' && input.files.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['files'], message: 'List at least one file path.' });
    }
    if (input.tool === 'merge_pull_request' && input.pullNumber === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pullNumber'],
        message: 'Give the number of a pull request in this room.',
      });
    }
  });
export type SimulationInput = z.input<typeof simulationSchema>;

/** The arguments an agent would send for this simulated call. */
export function simulatedArguments(
  input: z.output<typeof simulationSchema>,
  defaultBranch: string,
): Record<string, unknown> {
  const branch = input.branch || defaultBranch;
  switch (input.tool) {
    case 'push_files':
      return {
        branch,
        message: 'simulated',
        files: input.files.map((f) => ({ path: f.path, content: f.content ?? '' })),
      };
    case 'create_branch':
    case 'delete_branch':
      return { branch };
    case 'create_pull_request':
      return { head: branch, base: input.baseBranch || defaultBranch, title: 'simulated' };
    case 'merge_pull_request':
      return { pullNumber: input.pullNumber };
    default:
      return {};
  }
}

export async function simulateCall(actorId: string, roomId: string, raw: SimulationInput) {
  await getRoomForUser(actorId, roomId);
  const input = simulationSchema.parse(raw);
  const room = await roomFacts(roomId);
  const context = {
    room,
    userId: actorId,
    role: input.role,
    author: { name: 'simulator', email: 'simulator@localhost' },
    sessionId: 'simulator',
    baseUrl: '',
  };
  const args = simulatedArguments(input, room.defaultBranch);
  const now = input.at ?? new Date();
  // Files without content: the simulator knows the paths only, so the changes are those paths
  // with unknown sizes rather than what git would compute.
  const pathsOnly = input.tool === 'push_files' && input.files.some((f) => f.content === undefined);
  const decision = await decideCall(context, input.tool, args, { now, pathsOnly });
  const policy = await currentRoomPolicy(roomId);
  const { rules } = explainPolicy(policy.document, decision.gathered.facts, room);
  return {
    decision: { ...decision, gathered: undefined, facts: decision.gathered.facts },
    rules,
    policyVersion: policy.version,
  };
}
