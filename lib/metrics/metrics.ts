// Prometheus metrics (prom-client). Next.js bundles server code more than once (the gateway's route
// handlers, /api/metrics, pages), so the registry and its metrics live on globalThis: every bundle
// counts into the same ones that /api/metrics serves.
import client from 'prom-client';
import { db } from '../db';

type Metrics = ReturnType<typeof createMetrics>;
type Sources = { liveSessions?: () => number };

const state = globalThis as unknown as { aegisMetrics?: Metrics; aegisMetricSources?: Sources };
/** Numbers read at scrape time, registered by the modules that own them (no import cycles). */
const sources: Sources = (state.aegisMetricSources ??= {});

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'aegis_process_' });
  return {
    registry,
    calls: new client.Counter({
      name: 'aegis_tool_calls_total',
      help: 'Agent tool calls by tool and decision (allow, rewrite, require_approval, block, invalid, refused, error)',
      labelNames: ['tool', 'decision'] as const,
      registers: [registry],
    }),
    callSeconds: new client.Histogram({
      name: 'aegis_tool_call_duration_seconds',
      help: 'Time from receiving a tool call to answering it (held approvals included)',
      labelNames: ['tool'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers: [registry],
    }),
    auditWriteSeconds: new client.Histogram({
      name: 'aegis_audit_write_duration_seconds',
      help: 'Time to make audit entries durable (one transaction, possibly several entries)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    eventBusReconnects: new client.Counter({
      name: 'aegis_event_bus_reconnects_total',
      help: 'Times the LISTEN/NOTIFY connection was lost and re-established',
      registers: [registry],
    }),
    liveSessions: new client.Gauge({
      name: 'aegis_live_sessions',
      help: 'Agent sessions held by this instance',
      registers: [registry],
      collect() {
        this.set(sources.liveSessions?.() ?? 0);
      },
    }),
    pendingApprovals: new client.Gauge({
      name: 'aegis_pending_approvals',
      help: 'Approvals waiting for reviewers, all rooms',
      registers: [registry],
      async collect() {
        this.set(await db.approval.count({ where: { status: 'pending' } }));
      },
    }),
  };
}

export function metrics(): Metrics {
  return (state.aegisMetrics ??= createMetrics());
}

const MAX_TOOL_LABELS = 64;
const toolLabels = new Set<string>();

/**
 * Agents choose the tool names they send: a bounded set of label values, so made-up names cannot
 * grow the metrics without limit (Aegis's own tools fit many times over).
 */
export function toolLabel(name: string): string {
  if (toolLabels.has(name)) return name;
  if (toolLabels.size >= MAX_TOOL_LABELS || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return 'other';
  toolLabels.add(name);
  return name;
}

export function setMetricSources(next: Sources) {
  Object.assign(sources, next);
}
