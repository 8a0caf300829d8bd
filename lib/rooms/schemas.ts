// Input schemas for rooms and members, shared by the dashboard forms and the server.
import { z } from 'zod';
import { emailSchema } from '../users/schemas';
import { branchNameProblem } from '../git/validate-ref';
import { roomBranchPatternProblem } from './branch-patterns';

const ROLE = z.enum(['DEVELOPER', 'ADMIN', 'OWNER'], { message: 'Choose DEVELOPER, ADMIN or OWNER' });

export const MAX_PROTECTED_BRANCH_PATTERNS = 50;

/** A branch pattern typed for the room (see branch-patterns.ts), its field error naming it. */
const roomBranchPattern = z
  .string()
  .trim()
  .superRefine((pattern, ctx) => {
    const problem = roomBranchPatternProblem(pattern);
    if (problem)
      ctx.addIssue({ code: 'custom', message: pattern ? `"${pattern}" ${problem}` : 'Enter a branch pattern' });
  });

/** Protected-branch patterns, one per line (a comma is refused inside a pattern, never a separator). */
const protectedBranchPatterns = z
  .string()
  .max(20_000)
  .default('')
  .transform((text) =>
    text
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(roomBranchPattern)
      .max(MAX_PROTECTED_BRANCH_PATTERNS, `At most ${MAX_PROTECTED_BRANCH_PATTERNS} protected branch patterns`),
  )
  .transform((patterns) => [...new Set(patterns)]);

/** The default branch: a name git accepts as a branch (and Aegis too). */
const defaultBranch = z
  .string()
  .trim()
  .min(1, 'Default branch is required')
  .superRefine((name, ctx) => {
    const problem = branchNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `Invalid branch name: it ${problem}.` });
  });

const common = {
  name: z.string().trim().min(1, 'Room name is required').max(100, 'Room name is too long'),
  defaultBranch: defaultBranch.default('main'),
  protectedBranches: protectedBranchPatterns,
};

export const createRoomSchema = z.discriminatedUnion('repositoryKind', [
  z.object({
    ...common,
    repositoryKind: z.literal('git'),
    location: z.string().trim().min(1, 'Repository path or URL is required').max(2048),
    username: z.string().trim().max(200).optional(),
    password: z.string().max(4096).optional(),
  }),
  z
    .object({
      ...common,
      repositoryKind: z.literal('github'),
      location: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'Use the form owner/repository'),
      githubApiUrl: z.url('Enter the API base URL, e.g. https://api.github.com').default('https://api.github.com'),
      // --- GitHub credentials: a token, or a GitHub App installation
      githubAuth: z.enum(['token', 'app'], { message: 'Choose a token or a GitHub App' }).default('token'),
      password: z.string().trim().max(4096).optional(),
      appId: z.string().trim().max(20).optional(),
      installationId: z.string().trim().max(20).optional(),
      privateKey: z.string().trim().max(16_384).optional(),
      username: z.string().optional(),
    })
    .superRefine((data, ctx) => {
      if (data.githubAuth === 'token') {
        if (!data.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'A GitHub token is required' });
        return;
      }
      if (!/^\d+$/.test(data.appId ?? ''))
        ctx.addIssue({ code: 'custom', path: ['appId'], message: 'Enter the App ID (a number)' });
      if (!/^\d+$/.test(data.installationId ?? ''))
        ctx.addIssue({ code: 'custom', path: ['installationId'], message: 'Enter the installation ID (a number)' });
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(data.privateKey ?? ''))
        ctx.addIssue({ code: 'custom', path: ['privateKey'], message: "Paste the App's private key (PEM)" });
    }),
]);
export type CreateRoomInput = z.input<typeof createRoomSchema>;

export const addMemberSchema = z.object({ email: emailSchema, role: ROLE });
export const changeRoleSchema = z.object({ userId: z.string().min(1), role: ROLE });

/**
 * A room's settings after creation. The repository's credentials are never shown again: the form
 * keeps them, replaces them (with a new password or token, and optionally a user name) or removes
 * them.
 */
export const roomSettingsSchema = z
  .object({
    defaultBranch,
    protectedBranches: protectedBranchPatterns,
    branchPattern: roomBranchPattern,
    credentials: z
      .enum(['keep', 'replace', 'remove'], { message: 'Choose to keep, replace or remove the credentials' })
      .default('keep'),
    username: z.string().trim().max(200, 'The user name is too long').optional(),
    password: z.string().max(4096, 'The password or token is too long').optional(),
  })
  .superRefine((settings, ctx) => {
    if (settings.credentials === 'replace' && !settings.password) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'Enter the new password or token' });
    }
  });
export type RoomSettingsInput = z.input<typeof roomSettingsSchema>;
export type RoomSettings = z.output<typeof roomSettingsSchema>;
