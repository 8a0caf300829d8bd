import { currentUser } from '@/lib/auth/session';
import { exportAuditLog } from '@/lib/audit/export-audit';
import { errorResponse, unauthenticated } from '@/lib/http/error-response';

export const dynamic = 'force-dynamic';

// GET /api/audit/export?format=csv|jsonl&room=&user=&tool=&decision=&from=&to=
export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return unauthenticated();
  try {
    const { format = 'csv', ...filters } = Object.fromEntries(new URL(request.url).searchParams);
    const download = await exportAuditLog(user.id, format, filters);
    return new Response(streamOf(download.chunks), {
      headers: {
        'Content-Type': download.contentType,
        'Content-Disposition': `attachment; filename="${download.filename}"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

/** Pulls the export's chunks only as fast as the client reads them. */
function streamOf(chunks: AsyncGenerator<string, void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        // Headers are gone by now: the download ends broken rather than silently short.
        console.error('[aegis] audit export failed mid-stream', error);
        controller.error(new Error('audit export failed'));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
