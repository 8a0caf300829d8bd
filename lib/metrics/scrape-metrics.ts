// What /api/metrics serves: the Prometheus text format. When AEGIS_METRICS_TOKEN is set, a scraper
// must present it as a bearer token (compared in constant time); without it the endpoint is open,
// and its labels hold only tool names and decisions — no room, user or repository.
import { createHash, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { AppError } from '../errors';
import { metrics } from './metrics';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export async function scrapeMetrics(bearerToken: string | undefined): Promise<{ body: string; contentType: string }> {
  const required = config().AEGIS_METRICS_TOKEN;
  if (required && !(bearerToken && timingSafeEqual(digest(bearerToken), digest(required)))) {
    throw new AppError('unauthenticated', 'Metrics need the bearer token set in AEGIS_METRICS_TOKEN');
  }
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
