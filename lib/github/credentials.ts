// What a GitHub room acts with: a token (classic or fine-grained personal access token), or a
// GitHub App installation (app id, private key, installation id), whose short-lived installation
// tokens Aegis mints and refreshes itself. Stored encrypted on the room (Room.repositorySecret);
// never shown again, logged, put in an error or an audit entry.
import { z } from 'zod';
import { decryptSecret, encryptSecret } from '../crypto/secret-box';

export const githubCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: z.string().min(1) }),
  z.object({
    kind: z.literal('app'),
    appId: z.string().regex(/^\d+$/),
    installationId: z.string().regex(/^\d+$/),
    privateKey: z.string().min(1),
  }),
]);
export type GitHubCredentials = z.infer<typeof githubCredentialsSchema>;

export function sealGitHubCredentials(credentials: GitHubCredentials): string {
  return encryptSecret(JSON.stringify(credentials));
}

/**
 * Reads a room's sealed credentials. Rooms created before App credentials existed stored
 * `{ password }` (the token): read as a token.
 */
export function openGitHubCredentials(sealed: string): GitHubCredentials {
  const raw = JSON.parse(decryptSecret(sealed)) as Record<string, unknown>;
  if (raw.kind === undefined && typeof raw.password === 'string') return { kind: 'token', token: raw.password };
  return githubCredentialsSchema.parse(raw);
}
