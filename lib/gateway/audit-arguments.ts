// What the audit log keeps of a call's arguments: secret-looking values redacted, and pushed file
// contents replaced by their size and SHA-256 (the content itself is in git once pushed, and a
// log of full file bodies would grow without bound).
import { createHash } from 'node:crypto';
import { redactSecretsInValue } from '../policy';

export function auditArguments(args: unknown): unknown {
  if (args && typeof args === 'object' && !Array.isArray(args) && Array.isArray((args as { files?: unknown }).files)) {
    const { files, ...rest } = args as { files: unknown[] };
    const summarised = files.map((file) => {
      if (!file || typeof file !== 'object') return file;
      const { content, ...meta } = file as { content?: unknown };
      if (typeof content !== 'string') return file;
      return { ...meta, bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') };
    });
    return redactSecretsInValue({ ...rest, files: summarised });
  }
  return redactSecretsInValue(args);
}
