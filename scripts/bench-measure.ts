// The benchmark's measurements: MCP clients (the official SDK client) for each target, call
// latency and throughput under concurrent agents for an operation (an allowed read or an allowed
// write), approval latency and idle-session memory.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Credentials } from './bench-stack';
import { mcpHeaders, sseUrl } from '../lib/integrations/client-configs';
import type { Role } from '../lib/generated/prisma/enums';

export type Target = { name: string; connect: () => Promise<Client> };
export type Summary = { n: number; p50: number; p99: number; mean: number; min: number; max: number };

const READ_CALL = { name: 'get_file_contents', arguments: { path: 'README.md' } };

// ---------------------------------------------------------------------------------------------
// Clients

// The URL and headers users get from the Integrations page.
const details = (base: string, c: Credentials) => ({ ...c, role: c.role as Role, baseUrl: base });
const aegisSseUrl = (base: string, c: Credentials) => new URL(sseUrl(details(base, c)));
const aegisHeaders = (base: string, c: Credentials) => mcpHeaders(details(base, c));

async function connected(transport: SSEClientTransport | StreamableHTTPClientTransport): Promise<Client> {
  const client = new Client({ name: 'aegis-bench', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

export function aegisTargets(base: string, c: Credentials): { sse: Target; http: Target } {
  return {
    sse: { name: 'Aegis SSE', connect: () => connected(new SSEClientTransport(aegisSseUrl(base, c))) },
    http: {
      name: 'Aegis HTTP',
      connect: () =>
        connected(
          new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: aegisHeaders(base, c) } }),
        ),
    },
  };
}

export function baselineTargets(base: string): { sse: Target; http: Target } {
  return {
    sse: { name: 'baseline SSE', connect: () => connected(new SSEClientTransport(new URL('/sse', base))) },
    http: { name: 'baseline HTTP', connect: () => connected(new StreamableHTTPClientTransport(new URL('/mcp', base))) },
  };
}

export function resultText(result: unknown): string {
  const content = (result as CallToolResult).content ?? [];
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

/** One allowed read; throws unless it succeeded (and, when `expected` is given, returned that content). */
async function readOnce(client: Client, expected?: string): Promise<void> {
  const result = await client.callTool(READ_CALL);
  if (result.isError) throw new Error(`get_file_contents failed: ${resultText(result)}`);
  if (expected !== undefined && JSON.parse(resultText(result)).content !== expected) {
    throw new Error('get_file_contents returned unexpected content');
  }
}

/**
 * What is measured: `call` makes one call on a client; `slot` names the client (target and
 * position), so that a write gives every client a branch of its own.
 */
export type Operation = { tool: string; call: (client: Client, slot: string) => Promise<void> };

/** An allowed read of README.md; each client's first call also checks the content. */
export function readOperation(expected?: string): Operation {
  const checked = new Set<string>();
  return {
    tool: READ_CALL.name,
    call: (client, slot) => {
      const check = checked.has(slot) ? undefined : expected;
      checked.add(slot);
      return readOnce(client, check);
    },
  };
}

/**
 * An allowed write: push_files of one small file to the client's own branch (`aegis/bench-…`,
 * created from main by its first call), a new content each time. Throws unless the push landed
 * on that branch as asked (not rewritten, held or blocked).
 */
export function writeOperation(): Operation {
  const counters = new Map<string, number>();
  return {
    tool: 'push_files',
    async call(client, slot) {
      const n = (counters.get(slot) ?? 0) + 1;
      counters.set(slot, n);
      const branch = `aegis/bench-${slot.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      const result = await client.callTool({
        name: 'push_files',
        arguments: {
          branch,
          message: `Bench write ${n}`,
          files: [{ path: 'bench/notes.txt', content: `write ${n} from ${slot}\n` }],
        },
      });
      const text = resultText(result);
      if (result.isError) throw new Error(`push_files failed: ${text}`);
      const data = JSON.parse(text) as { ref?: string; commit?: { sha?: string } };
      if (data.ref !== `refs/heads/${branch}` || typeof data.commit?.sha !== 'string') {
        throw new Error(`push_files did not land as asked: ${text.slice(0, 300)}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(at(50)),
    p99: round(at(99)),
    mean: round(sorted.reduce((sum, x) => sum + x, 0) / sorted.length),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

async function serially<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}

/** Rotates the order per round, so drifting background load weighs on every target alike. */
function rotated<T>(items: T[], round: number): T[] {
  const k = round % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

// ---------------------------------------------------------------------------------------------
// Latency: one client per target, warm-up, then sequential calls in interleaved rounds. Every
// round of every target also has a time budget, so a loaded machine yields fewer samples rather
// than an endless run (the summaries say how many were taken).

/** Up to `count` calls, stopping at `until`; returns how many were made. */
async function sequentialCalls(
  op: Operation,
  client: Client,
  slot: string,
  count: number,
  until: number,
  samples?: number[],
): Promise<number> {
  let made = 0;
  for (; made < count && performance.now() < until; made++) {
    const started = performance.now();
    await op.call(client, slot);
    samples?.push(performance.now() - started);
  }
  return made;
}

export type Latency = { summaries: Record<string, Summary>; warmupCalls: Record<string, number> };

export async function measureLatency(
  targets: Target[],
  op: Operation,
  options: { warmup: number; calls: number; rounds: number; budgetMs: number },
  progress: (line: string) => void = () => {},
): Promise<Latency> {
  const clients = await Promise.all(targets.map((t) => t.connect()));
  try {
    const slotMs = options.budgetMs / (targets.length * (options.rounds + 1));
    const warmups = await serially([...targets.keys()], async (index) => {
      await op.call(clients[index], targets[index].name);
      return (
        1 +
        (await sequentialCalls(op, clients[index], targets[index].name, options.warmup - 1, performance.now() + slotMs))
      );
    });
    const samples: number[][] = targets.map(() => []);
    const perRound = Math.ceil(options.calls / options.rounds);
    for (let round = 0; round < options.rounds; round++) {
      for (const index of rotated([...targets.keys()], round)) {
        await sequentialCalls(
          op,
          clients[index],
          targets[index].name,
          perRound,
          performance.now() + slotMs,
          samples[index],
        );
      }
      progress(
        `round ${round + 1}/${options.rounds}: ${samples.map((s, i) => `${targets[i].name} ${s.length}`).join(', ')}`,
      );
    }
    return {
      summaries: Object.fromEntries(targets.map((t, i) => [t.name, summarize(samples[i])])),
      warmupCalls: Object.fromEntries(targets.map((t, i) => [t.name, warmups[i]])),
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  }
}

// ---------------------------------------------------------------------------------------------
// Throughput: N clients per target calling back to back, in interleaved rounds of fixed length.

export type Throughput = { calls: number; seconds: number; callsPerSecond: number; latency: Summary };

async function callFor(op: Operation, client: Client, slot: string, until: number, samples: number[]) {
  while (performance.now() < until) {
    const started = performance.now();
    await op.call(client, slot);
    samples.push(performance.now() - started);
  }
}

export async function measureThroughput(
  targets: Target[],
  op: Operation,
  options: { clients: number; roundMs: number; rounds: number },
): Promise<Record<string, Throughput>> {
  const pools = await Promise.all(
    targets.map((t) => Promise.all(Array.from({ length: options.clients }, () => t.connect()))),
  );
  const slot = (index: number, client: number) => `${targets[index].name} ${client + 1}`;
  try {
    // Warm every session (for writes, this also creates each client's branch).
    for (const [index, pool] of pools.entries()) await Promise.all(pool.map((c, i) => op.call(c, slot(index, i))));
    const samples: number[][] = targets.map(() => []);
    const seconds = targets.map(() => 0);
    for (let round = 0; round < options.rounds; round++) {
      for (const index of rotated([...targets.keys()], round)) {
        const started = performance.now();
        const until = started + options.roundMs;
        await Promise.all(pools[index].map((client, i) => callFor(op, client, slot(index, i), until, samples[index])));
        seconds[index] += (performance.now() - started) / 1000;
      }
    }
    return Object.fromEntries(
      targets.map((t, i) => [
        t.name,
        {
          calls: samples[i].length,
          seconds: Math.round(seconds[i] * 100) / 100,
          callsPerSecond: Math.round((samples[i].length / seconds[i]) * 10) / 10,
          latency: summarize(samples[i]),
        },
      ]),
    );
  } finally {
    await Promise.all(pools.flat().map((c) => c.close().catch(() => {})));
  }
}

export type ReadAudits = { decisions: number; executionMsP50: number | null; executionMsP99: number | null };

/**
 * The room's audited calls of one tool: decision entries (to check that every Aegis call was
 * durably recorded) and, from the outcome entries, the time Aegis spent executing it in git.
 */
export async function readAudits(databaseUrl: string, roomId: string, tool: string): Promise<ReadAudits> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT count(*) FILTER (WHERE kind = 'decision')::int AS decisions,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY "durationMs") FILTER (WHERE kind = 'outcome') AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY "durationMs") FILTER (WHERE kind = 'outcome') AS p99
         FROM "AuditEntry" WHERE "roomId" = $1 AND tool = $2`,
      [roomId, tool],
    );
    return { decisions: rows[0].decisions, executionMsP50: rows[0].p50, executionMsP99: rows[0].p99 };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Approval latency: the agent's held push_files, approved by a reviewer, timed from the reviewer's
// click to the agent receiving the executed result.

async function waitForPendingApproval(db: pg.Client, roomId: string, seen: Set<string>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT id FROM "Approval" WHERE "roomId" = $1 AND status = 'pending' ORDER BY "createdAt" DESC LIMIT 1`,
      [roomId],
    );
    if (rows[0] && !seen.has(rows[0].id)) return rows[0].id as string;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('no approval was created for the held push');
}

export type ApprovalTimes = { clickToAgent: Summary; reviewCall: Summary };

/** Who approves: `prepare` (untimed: open the page) and then `approve` (the timed click). */
export type Reviewer = {
  prepare: (approvalId: string) => Promise<void>;
  approve: (approvalId: string) => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A reviewer on another instance than the agent's: `reviewApproval` in this process, so the push
 * runs here and the decision reaches the agent's instance over LISTEN/NOTIFY.
 */
export async function otherInstanceReviewer(ownerId: string): Promise<Reviewer> {
  const { reviewApproval } = await import('../lib/approvals/review-approval');
  return {
    prepare: async () => {},
    approve: async (approvalId) => {
      await reviewApproval(ownerId, approvalId, { decision: 'approve' });
    },
    close: async () => {},
  };
}

/**
 * A reviewer on the agent's own instance, as users do it: signed in to the dashboard in Chromium,
 * on the approval's page, clicking Approve; done when the page shows the approval executed.
 */
export async function browserReviewer(baseURL: string, owner: { email: string; password: string }): Promise<Reviewer> {
  const { chromium } = await import('@playwright/test');
  const executablePath =
    process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({ baseURL });
  const { csrfToken } = await (await context.request.get('/api/auth/csrf')).json();
  const signIn = await context.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, email: owner.email, password: owner.password, json: 'true' },
  });
  if (!signIn.ok()) throw new Error(`the reviewer could not sign in (${signIn.status()})`);
  const page = await context.newPage();
  return {
    prepare: async (approvalId) => {
      await page.goto(`/approvals/${approvalId}`);
      await page.getByRole('button', { name: 'Approve' }).waitFor();
      // Clicked before React hydrates, the form would post natively and reload the page.
      await page.waitForFunction(() => {
        const form = document.querySelector('form');
        return !!form && Object.keys(form).some((key) => key.startsWith('__reactFiber$'));
      });
    },
    approve: async () => {
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('This approval is executed.').waitFor({ timeout: 60_000 });
    },
    close: () => browser.close(),
  };
}

export async function measureApprovals(options: {
  agent: Target;
  reviewer: Reviewer;
  databaseUrl: string;
  roomId: string;
  count: number;
  budgetMs: number;
  /** Distinguishes the branches of one run from another's. */
  label: string;
}): Promise<ApprovalTimes> {
  const agent = await options.agent.connect();
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  const seen = new Set<string>();
  const clickToAgent: number[] = [];
  const reviewCall: number[] = [];
  try {
    const until = performance.now() + options.budgetMs;
    for (let i = 1; i <= options.count && (i === 1 || performance.now() < until); i++) {
      let received = 0;
      const call = agent
        .callTool(
          {
            name: 'push_files',
            arguments: {
              branch: `aegis/ci-${options.label}-${i}`,
              message: `Run the tests on pull requests (${i})`,
              files: [
                { path: '.github/workflows/ci.yml', content: `on: pull_request\n# bench ${options.label} ${i}\n` },
              ],
            },
          },
          undefined,
          { timeout: 120_000, resetTimeoutOnProgress: true },
        )
        .then((result) => {
          received = performance.now();
          return result;
        });
      const approvalId = await waitForPendingApproval(db, options.roomId, seen);
      seen.add(approvalId);
      await options.reviewer.prepare(approvalId);
      const clicked = performance.now();
      await options.reviewer.approve(approvalId);
      reviewCall.push(performance.now() - clicked);
      const result = await call;
      const text = resultText(result);
      if (result.isError || text.includes('pending_approval')) throw new Error(`approved push not executed: ${text}`);
      clickToAgent.push(received - clicked);
    }
    return { clickToAgent: summarize(clickToAgent), reviewCall: summarize(reviewCall) };
  } finally {
    await db.end().catch(() => {});
    await agent.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Idle sessions: RSS of the app's process tree before and after opening N idle SSE sessions.

function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

export function treeRssBytes(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

export type IdleMemory = {
  sessions: number;
  openSeconds: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  perSessionKiB: number;
  extrapolated10kMiB: number;
};

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Opens sessions in parallel batches until `total` are open or the time is up; returns the seconds taken. */
async function openSessions(target: Target, clients: Client[], total: number, batch: number, until: number) {
  const started = performance.now();
  while (clients.length < total && performance.now() < until) {
    const size = Math.min(batch, total - clients.length);
    clients.push(...(await Promise.all(Array.from({ length: size }, () => target.connect()))));
  }
  return (performance.now() - started) / 1000;
}

/**
 * The cost of a session is the slope between the RSS after the first tenth of the sessions
 * (which also pays for one-time costs: code paths first run, pools grown) and after all of them;
 * the 10,000 figure is the RSS at the first tenth plus that slope for the rest of 10,000.
 */
export async function measureIdleSessions(options: {
  target: Target;
  appPid: number;
  sessions: number;
  batch: number;
  timeLimitMs: number;
}): Promise<IdleMemory> {
  const clients: Client[] = [];
  const until = performance.now() + options.timeLimitMs;
  try {
    await settle(2000);
    const before = treeRssBytes(options.appPid);
    const tenth = Math.max(options.batch, options.sessions / 10);
    let openSeconds = await openSessions(options.target, clients, tenth, options.batch, until);
    await settle(2000);
    const first = { sessions: clients.length, rss: treeRssBytes(options.appPid) };
    openSeconds += await openSessions(options.target, clients, options.sessions, options.batch, until);
    await settle(3000);
    const after = treeRssBytes(options.appPid);
    const perSession = (after - first.rss) / Math.max(1, clients.length - first.sessions);
    return {
      sessions: clients.length,
      openSeconds: Math.round(openSeconds * 10) / 10,
      rssBeforeMiB: mib(before),
      rssAfterMiB: mib(after),
      perSessionKiB: Math.round((perSession / 1024) * 10) / 10,
      // From the first tenth rather than from `before`: memory an earlier phase left behind (and
      // returns meanwhile) must not count as this transport's.
      extrapolated10kMiB: mib(first.rss + perSession * (10_000 - first.sessions)),
    };
  } finally {
    for (let i = 0; i < clients.length; i += 200) {
      await Promise.all(clients.slice(i, i + 200).map((c) => c.close().catch(() => {})));
    }
  }
}
