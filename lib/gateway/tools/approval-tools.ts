// wait_for_approval: an agent whose call is held for review waits again for the outcome.
import { z } from 'zod';
import { db } from '../../db';
import { AppError, notFound } from '../../errors';
import { config } from '../../config';
import { approvalReply } from '../../approvals/approval-result';
import { waitForApproval } from '../../approvals/wait-for-approval';
import { defineTool } from './tool-types';

export const waitForApprovalTool = defineTool({
  name: 'wait_for_approval',
  description:
    'Wait for the outcome of a call that Aegis held for human approval (you got its approval_id in a pending result). Returns the executed result, with `approval` saying who approved it and their comments; an error saying why it failed, was denied (by whom, with the reviewer’s comment), expired or was cancelled; or pending (or executing) again if it is not final yet.',
  kind: 'read',
  input: z.object({
    approval_id: z.string().min(1).max(100).describe('The approval_id from the pending result'),
    timeout_seconds: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .describe('How long to wait at most (default: the server wait)'),
  }),
  async execute(context, args) {
    const approval = await db.approval.findFirst({
      where: { id: args.approval_id, roomId: context.room.id },
      select: { id: true },
    });
    if (!approval) throw notFound(`No approval ${args.approval_id} in this room`);
    const waitMs =
      Math.min(args.timeout_seconds ?? config().AEGIS_APPROVAL_WAIT_SECONDS, config().AEGIS_APPROVAL_WAIT_SECONDS) *
      1000;
    const outcome = await waitForApproval(approval.id, {
      timeoutMs: waitMs,
      onProgress: context.progress
        ? (elapsed) => context.progress!(elapsed, waitMs, 'Waiting for a reviewer')
        : undefined,
    });
    const reply = await approvalReply(outcome);
    // A failure, denial, expiry or cancellation is the outcome of the held call: an error result.
    if (reply.isError) throw new AppError('conflict', String(reply.data));
    return { summary: `approval ${approval.id}: ${outcome.status}`, data: reply.data };
  },
});
