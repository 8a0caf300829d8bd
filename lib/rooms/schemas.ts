// Input schemas for rooms and members, shared by the dashboard forms and the server.
import { z } from 'zod';
import { emailSchema } from '../users/schemas';

const ROLE = z.enum(['DEVELOPER', 'ADMIN', 'OWNER'], { message: 'Choose DEVELOPER, ADMIN or OWNER' });

const branchPatterns = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(/[\n,]/)
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().max(200, 'A branch pattern is too long')).max(50, 'At most 50 protected branch patterns'));

const common = {
  name: z.string().trim().min(1, 'Room name is required').max(100, 'Room name is too long'),
  defaultBranch: z.string().trim().min(1, 'Default branch is required').max(200).default('main'),
  protectedBranches: branchPatterns,
};

export const createRoomSchema = z.discriminatedUnion('repositoryKind', [
  z.object({
    ...common,
    repositoryKind: z.literal('git'),
    location: z.string().trim().min(1, 'Repository path or URL is required').max(2048),
    username: z.string().trim().max(200).optional(),
    password: z.string().max(4096).optional(),
  }),
  z.object({
    ...common,
    repositoryKind: z.literal('github'),
    location: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, 'Use the form owner/repository'),
    githubApiUrl: z.url('Enter the API base URL, e.g. https://api.github.com').default('https://api.github.com'),
    password: z.string().trim().min(1, 'A GitHub token is required'),
    username: z.string().optional(),
  }),
]);
export type CreateRoomInput = z.input<typeof createRoomSchema>;

export const addMemberSchema = z.object({ email: emailSchema, role: ROLE });
export const changeRoleSchema = z.object({ userId: z.string().min(1), role: ROLE });
