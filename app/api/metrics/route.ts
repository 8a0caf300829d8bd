// GET /api/metrics — Prometheus metrics
import { errorResponse } from '@/lib/http/error-response';
import { scrapeMetrics } from '@/lib/metrics/scrape-metrics';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request) {
  try {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim();
    const { body, contentType } = await scrapeMetrics(bearer);
    return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
  } catch (error) {
    return errorResponse(error);
  }
}
