// The benchmark itself (see scripts/bench.mjs for what is measured and how): starts the stack,
// runs each measurement, prints a table against the product's targets and writes the results as
// JSON to <os.tmpdir()>/bench-results.json. Exits 0 when every measurement ran (2 with
// BENCH_STRICT=1 when a target was missed), 1 on any failure, and stops everything it started.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from './bench-stack';
import {
  aegisTargets,
  baselineTargets,
  readAudits,
  measureApprovals,
  measureIdleSessions,
  measureLatency,
  measureThroughput,
  otherInstanceReviewer,
  browserReviewer,
  readOperation,
  writeOperation,
  type ApprovalTimes,
  type Reviewer,
  type Operation,
  type IdleMemory,
  type Summary,
  type Throughput,
} from './bench-measure';

const DEADLINE_MS = 25 * 60_000;

/** A numeric setting from the environment, bounded to [min, max]. */
function setting(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return Math.min(Math.max(value, min), max);
}

const SETTINGS = {
  warmup: setting('BENCH_WARMUP', 50, 1, 1000),
  calls: setting('BENCH_CALLS', 500, 1, 5000),
  latencyRounds: 5,
  latencyBudgetSeconds: setting('BENCH_LATENCY_BUDGET_SECONDS', 90, 5, 300),
  clients: setting('BENCH_CLIENTS', 16, 1, 64),
  throughputSeconds: setting('BENCH_SECONDS', 10, 1, 60),
  throughputRounds: 2,
  writeWarmup: setting('BENCH_WRITE_WARMUP', 5, 1, 100),
  writeCalls: setting('BENCH_WRITE_CALLS', 100, 0, 2000),
  writeLatencyBudgetSeconds: setting('BENCH_WRITE_LATENCY_BUDGET_SECONDS', 60, 5, 300),
  approvals: setting('BENCH_APPROVALS', 20, 0, 200),
  approvalBudgetSeconds: 45,
  idleSessions: setting('BENCH_IDLE_SESSIONS', 10_000, 0, 20_000),
  idleBudgetSeconds: setting('BENCH_IDLE_BUDGET_SECONDS', 150, 10, 600),
};

const log = (line: string) => console.log(`[bench] ${line}`);
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

type Load = {
  latencyMs: Record<string, Summary>;
  warmupCalls: Record<string, number>;
  throughput: Record<string, Throughput>;
  audit: {
    expectedEntries: number;
    foundEntries: number;
    executionMsP50: number | null;
    executionMsP99: number | null;
  };
};

type Results = {
  startedAt: string;
  machine: { cpus: number; loadAverageStart: number[]; loadAverageEnd?: number[]; node: string };
  settings: typeof SETTINGS;
  reads?: Load;
  writes?: Load;
  approvalMs?: { sameInstance: ApprovalTimes; otherInstance: ApprovalTimes };
  idleSessions?: { sse: IdleMemory; http: IdleMemory };
  targets?: Check[];
};

type Check = { what: string; value: number; target: string; met: boolean };

// ---------------------------------------------------------------------------------------------

async function runLoad(
  stack: Stack,
  op: Operation,
  what: string,
  options: { warmup: number; calls: number; budgetSeconds: number },
): Promise<Load> {
  const aegis = aegisTargets(stack.aegisUrl, stack.developer);
  const baseline = baselineTargets(stack.baselineUrl);
  const targets = [aegis.sse, aegis.http, baseline.sse, baseline.http];
  const auditsBefore = await readAudits(stack.databaseUrl, stack.room.id, op.tool);

  log(
    `${what} latency: ${options.warmup} warm-up + ${options.calls} sequential calls per target (load ${loadAverage()})`,
  );
  const latency = await measureLatency(
    targets,
    op,
    {
      warmup: options.warmup,
      calls: options.calls,
      rounds: SETTINGS.latencyRounds,
      budgetMs: options.budgetSeconds * 1000,
    },
    log,
  );

  log(
    `${what} throughput: ${SETTINGS.clients} clients for ${SETTINGS.throughputSeconds} s per target (load ${loadAverage()})`,
  );
  const throughput = await measureThroughput(targets, op, {
    clients: SETTINGS.clients,
    roundMs: (SETTINGS.throughputSeconds * 1000) / SETTINGS.throughputRounds,
    rounds: SETTINGS.throughputRounds,
  });

  // Every Aegis call (warm-ups included) must have its decision in the audit log by now.
  const expected = [aegis.sse, aegis.http].reduce(
    (sum, t) =>
      sum + latency.warmupCalls[t.name] + latency.summaries[t.name].n + SETTINGS.clients + throughput[t.name].calls,
    0,
  );
  const audits = await readAudits(stack.databaseUrl, stack.room.id, op.tool);
  const found = audits.decisions - auditsBefore.decisions;
  if (found < expected) throw new Error(`only ${found} of ${expected} Aegis ${op.tool} calls were audited`);
  return {
    latencyMs: latency.summaries,
    warmupCalls: latency.warmupCalls,
    throughput,
    audit: {
      expectedEntries: expected,
      foundEntries: found,
      executionMsP50: audits.executionMsP50,
      executionMsP99: audits.executionMsP99,
    },
  };
}

async function runApprovals(stack: Stack, results: Results) {
  if (SETTINGS.approvals === 0) return;
  const approvals = async (where: string, reviewer: Reviewer) => {
    log(`approvals, reviewer on ${where}: ${SETTINGS.approvals} held push_files approved (load ${loadAverage()})`);
    try {
      return await measureApprovals({
        agent: aegisTargets(stack.aegisUrl, stack.developer).http,
        reviewer,
        databaseUrl: stack.databaseUrl,
        roomId: stack.room.id,
        count: SETTINGS.approvals,
        budgetMs: SETTINGS.approvalBudgetSeconds * 1000,
        label: where.replaceAll(' ', '-'),
      });
    } finally {
      await reviewer.close();
    }
  };
  results.approvalMs = {
    sameInstance: await approvals('the same instance', await browserReviewer(stack.aegisUrl, stack.owner)),
    otherInstance: await approvals('another instance', await otherInstanceReviewer(stack.room.ownerId)),
  };
}

async function runIdleSessions(stack: Stack, results: Results) {
  if (SETTINGS.idleSessions === 0) return;
  const idle = (transport: 'sse' | 'http') => {
    log(`idle sessions: opening ${SETTINGS.idleSessions} ${transport.toUpperCase()} sessions (load ${loadAverage()})`);
    return measureIdleSessions({
      target: aegisTargets(stack.aegisUrl, stack.developer)[transport],
      appPid: stack.appPid,
      sessions: SETTINGS.idleSessions,
      batch: 50,
      timeLimitMs: SETTINGS.idleBudgetSeconds * 1000,
    });
  };
  results.idleSessions = { sse: await idle('sse'), http: await idle('http') };
}

// ---------------------------------------------------------------------------------------------
// Report

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

// PRODUCT.md, "How fast it must be": an allowed read at most 1.2x the bare server's latency, an
// allowed write at most 1.5x, and at least 0.8x of its throughput with 16 agents.
const TARGETS = { reads: { latency: 1.2, throughput: 0.8 }, writes: { latency: 1.5, throughput: 0.8 } };

function checks(results: Results): Check[] {
  const list: Check[] = [];
  for (const kind of ['reads', 'writes'] as const) {
    const load = results[kind];
    if (!load) continue;
    const target = TARGETS[kind];
    for (const transport of ['SSE', 'HTTP']) {
      const a = load.latencyMs[`Aegis ${transport}`];
      const b = load.latencyMs[`baseline ${transport}`];
      for (const p of ['p50', 'p99'] as const) {
        const value = ratio(a[p], b[p]);
        list.push({
          what: `${kind}: ${transport} latency ${p} ratio`,
          value,
          target: `<= ${target.latency}`,
          met: value <= target.latency,
        });
      }
      const value = ratio(
        load.throughput[`Aegis ${transport}`].callsPerSecond,
        load.throughput[`baseline ${transport}`].callsPerSecond,
      );
      list.push({
        what: `${kind}: ${transport} throughput ratio`,
        value,
        target: `>= ${target.throughput}`,
        met: value >= target.throughput,
      });
    }
  }
  if (results.approvalMs) {
    for (const [where, times] of [
      ['same instance', results.approvalMs.sameInstance],
      ['other instance', results.approvalMs.otherInstance],
    ] as const) {
      const value = times.clickToAgent.p99;
      list.push({ what: `approval click-to-agent p99, ${where} (ms)`, value, target: '< 250', met: value < 250 });
    }
  }
  if (results.idleSessions) {
    for (const transport of ['sse', 'http'] as const) {
      const m = results.idleSessions[transport];
      // RSS that fell while sessions were opened (an earlier phase's memory returned) measures nothing.
      const measured = m.perSessionKiB > 0;
      list.push({
        what: `10,000 idle ${transport.toUpperCase()} sessions, RSS (MiB)${measured ? '' : ' (unreliable: RSS fell)'}`,
        value: m.extrapolated10kMiB,
        target: '< 1024',
        met: measured && m.extrapolated10kMiB < 1024,
      });
    }
  }
  return list;
}

function table(rows: (string | number)[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => String(cell).padEnd(widths[c])).join('  ')).join('\n');
}

function loadRows(title: string, load: Load): (string | number)[][] {
  const rows: (string | number)[][] = [[title, 'Aegis', 'baseline', 'Aegis/baseline']];
  for (const transport of ['SSE', 'HTTP']) {
    const a = load.latencyMs[`Aegis ${transport}`];
    const b = load.latencyMs[`baseline ${transport}`];
    for (const p of ['p50', 'p99', 'mean'] as const) {
      rows.push([`${transport} latency ${p} (ms, n=${a.n}/${b.n})`, a[p], b[p], ratio(a[p], b[p])]);
    }
    // One client calling back to back: its throughput is 1 / mean latency.
    const single = (mean: number) => Math.round(1000 / mean);
    rows.push([
      `${transport} throughput, 1 client (calls/s)`,
      single(a.mean),
      single(b.mean),
      ratio(single(a.mean), single(b.mean)),
    ]);
    const ta = load.throughput[`Aegis ${transport}`];
    const tb = load.throughput[`baseline ${transport}`];
    rows.push([
      `${transport} throughput, ${SETTINGS.clients} clients (calls/s)`,
      ta.callsPerSecond,
      tb.callsPerSecond,
      ratio(ta.callsPerSecond, tb.callsPerSecond),
    ]);
    rows.push([
      `${transport} latency p50/p99 under load (ms)`,
      `${ta.latency.p50}/${ta.latency.p99}`,
      `${tb.latency.p50}/${tb.latency.p99}`,
      '',
    ]);
  }
  return rows;
}

function report(results: Results) {
  for (const [title, load] of [
    ['allowed get_file_contents', results.reads],
    ['allowed push_files (1 file)', results.writes],
  ] as const) {
    if (!load) continue;
    console.log('\n' + table(loadRows(title, load)));
    const audit = load.audit;
    console.log(
      `audit: ${audit.foundEntries} decision entries for ${audit.expectedEntries} Aegis calls; Aegis's own ` +
        `execution in git (outcome entries' durationMs) p50 ${audit.executionMsP50} ms, p99 ${audit.executionMsP99} ms`,
    );
  }
  if (results.approvalMs) {
    for (const [where, times] of [
      ['the same instance (Approve clicked in Chromium)', results.approvalMs.sameInstance],
      ['another instance (reviewApproval in the bench process)', results.approvalMs.otherInstance],
    ] as const) {
      const { clickToAgent: c, reviewCall: r } = times;
      console.log(
        `approval, reviewer on ${where} (n=${c.n}): click-to-agent p50 ${c.p50} ms, p99 ${c.p99} ms, mean ${c.mean} ms; ` +
          `until the reviewer sees it executed p50 ${r.p50} ms, p99 ${r.p99} ms`,
      );
    }
  }
  if (results.idleSessions) {
    for (const transport of ['sse', 'http'] as const) {
      const m = results.idleSessions[transport];
      console.log(
        `idle ${transport.toUpperCase()} sessions: ${m.sessions} opened in ${m.openSeconds} s; app RSS ${m.rssBeforeMiB} -> ${m.rssAfterMiB} MiB, ` +
          `${m.perSessionKiB} KiB/session, at 10,000 sessions: ${m.extrapolated10kMiB} MiB`,
      );
    }
  }
  console.log(
    '\n' +
      table([
        ['target', 'value', 'wanted', ''],
        ...results.targets!.map((c) => [c.what, c.value, c.target, c.met ? 'met' : 'MISSED']),
      ]),
  );
  console.log(
    `\nload average at start ${results.machine.loadAverageStart.map((x) => x.toFixed(2)).join(' ')}, ` +
      `at end ${results.machine.loadAverageEnd!.map((x) => x.toFixed(2)).join(' ')} (${results.machine.cpus} CPUs)`,
  );
}

// ---------------------------------------------------------------------------------------------

/** Rejects after `ms`, or on SIGINT/SIGTERM (repeated signals are ignored: cleanup is under way). */
function interruption(ms: number): { promise: Promise<never>; clear: () => void } {
  let fail: (error: Error) => void = () => {};
  const promise = new Promise<never>((_, reject) => (fail = reject));
  const timer = setTimeout(() => fail(new Error(`the benchmark did not finish within ${ms / 1000} s`)), ms);
  const onSignal = (signal: string) => fail(new Error(`interrupted by ${signal}`));
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  return { promise, clear: () => clearTimeout(timer) };
}

async function main(): Promise<number> {
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageStart: os.loadavg(), node: process.version },
    settings: SETTINGS,
  };
  log(`load average ${loadAverage()} on ${os.cpus().length} CPUs`);
  const interrupted = interruption(DEADLINE_MS);
  // startStack stops what it started if it fails; once it succeeded, `finally` stops the stack,
  // after it is up even when interrupted during startup, so that nothing is left running.
  const starting = startStack(log);
  try {
    await Promise.race([
      interrupted.promise,
      (async () => {
        const stack = await starting;
        results.reads = await runLoad(stack, readOperation(stack.readme), 'reads', {
          warmup: SETTINGS.warmup,
          calls: SETTINGS.calls,
          budgetSeconds: SETTINGS.latencyBudgetSeconds,
        });
        if (SETTINGS.writeCalls > 0) {
          results.writes = await runLoad(stack, writeOperation(), 'writes', {
            warmup: SETTINGS.writeWarmup,
            calls: SETTINGS.writeCalls,
            budgetSeconds: SETTINGS.writeLatencyBudgetSeconds,
          });
        }
        await runApprovals(stack, results);
        await runIdleSessions(stack, results);
      })(),
    ]);
  } catch (error) {
    // Reported before stopping, so that a failure while stopping cannot hide it.
    console.error('[bench] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  } finally {
    interrupted.clear();
    log('stopping');
    const stack = await starting.catch(() => undefined);
    await stack?.stop();
  }
  results.machine.loadAverageEnd = os.loadavg();
  results.targets = checks(results);
  report(results);
  const file = path.join(os.tmpdir(), 'bench-results.json');
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`results written to ${file}`);
  const missed = results.targets.some((c) => !c.met);
  return missed && process.env.BENCH_STRICT === '1' ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('[bench] failed:', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
