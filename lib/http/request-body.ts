// Request bodies of bounded size: a body larger than the limit is refused with 413 before it is
// parsed, whether the client declared its length (Content-Length) or streamed it (chunked).
import { jsonError } from './error-response';

export function payloadTooLarge(limit: number): Response {
  return jsonError(413, 'payload_too_large', `Request bodies are limited to ${limit} bytes`);
}

/** The declared Content-Length, or null when the body is streamed without one. */
function declaredLength(request: Request): number | null {
  const header = request.headers.get('content-length');
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

/** Reads the whole body if it is at most `limit` bytes; null when it is larger. */
export async function readBodyUpTo(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const declared = declaredLength(request);
  if (declared !== null && declared > limit) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Whether the body is larger than `limit`, by its Content-Length, or else by reading it (a copy). */
export async function bodyExceeds(request: Request, limit: number): Promise<boolean> {
  const declared = declaredLength(request);
  if (declared !== null) return declared > limit;
  return (await readBodyUpTo(request, limit)) === null;
}
