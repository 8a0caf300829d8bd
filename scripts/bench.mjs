// `npm run bench`: how fast Aegis is, side by side with a bare MCP SDK server on the same machine
// (the targets are in PRODUCT.md, "How fast it must be").
//
// What it starts (scripts/bench-stack.ts), like the test global setup: PostgreSQL (embedded, in a
// temporary directory, unless BENCH_DATABASE_URL is given), migrated; the app built if its
// sources changed and served by `next start` on a free 127.0.0.1 port; a user, a git room on a
// real bare repository made with the git CLI and a DEVELOPER member; and the baseline
// (scripts/bench-baseline.ts): the SDK's McpServer serving `get_file_contents` from the same
// repository with `git cat-file -p main:README.md`, and `push_files` as one commit written into it
// with git plumbing, over Streamable HTTP (stateful sessions) and SSE, in its own process. Everything is stopped and removed at the end. Loopback only.
//
// What it measures (scripts/bench-measure.ts), with the official MCP SDK client, for Aegis
// over SSE and Streamable HTTP and the baseline over both:
// - latency of an allowed `get_file_contents`: 50 warm-up calls, then 500 sequential calls from
//   one client (p50, p99, mean), in 5 rounds that alternate between the four targets so that
//   background load on the machine weighs on all of them alike;
// - throughput: 16 clients (one session each) calling back to back, 10 s per target in two
//   interleaved rounds (calls/s); afterwards it checks that every Aegis call has its decision
//   in the audit log, and reads from the outcome entries how long Aegis spent executing reads;
// - the same latency (5 warm-up, 100 calls, 60 s budget) and throughput for an allowed write: the
//   DEVELOPER's push_files of one small file to a branch of each client's own (`aegis/bench-…`,
//   created from main by its first call), against the baseline's push_files;
// - approval latency: the DEVELOPER's agent calls push_files on `.github/workflows/ci.yml`
//   (held by the default policy), the script waits for the approval row, then times from the
//   reviewer's click to the agent receiving its result (which includes executing the push), 20
//   times each way: on the agent's own instance, the OWNER signed in to the dashboard in Chromium
//   clicks Approve on the approval's page; on another instance, `reviewApproval(owner, id, approve)`
//   runs in this process, so the push runs here and the decision travels over LISTEN/NOTIFY;
// - idle sessions: RSS of the app's process tree while opening 10,000 idle sessions over SSE, then
//   10,000 over Streamable HTTP; the per-session cost is the slope from the first tenth to all of
//   them, and the figure at 10,000 is the RSS at the first tenth plus that slope for the rest.
// The throughput of one client is 1 / its mean sequential latency.
// Each phase also has a time budget (latency 90 s, approvals 45 s each way, idle sessions 150 s per transport), so that a
// loaded machine yields fewer samples rather than an endless run: the output gives every count.
// It prints a table with the Aegis/baseline ratios, the targets met or missed and the load
// average, and writes everything as JSON to <os.tmpdir()>/bench-results.json.
//
// Settings (environment): BENCH_DATABASE_URL, BENCH_WARMUP (50), BENCH_CALLS (500),
// BENCH_CLIENTS (16), BENCH_SECONDS (10), BENCH_LATENCY_BUDGET_SECONDS (90), BENCH_APPROVALS
// (20; 0 skips), BENCH_IDLE_SESSIONS (10000; 0 skips), BENCH_IDLE_BUDGET_SECONDS (150), BENCH_WRITE_WARMUP (5), BENCH_WRITE_CALLS
// (100; 0 skips writes), BENCH_WRITE_LATENCY_BUDGET_SECONDS (60), AEGIS_APPROVAL_WAIT_SECONDS (60),
// BENCH_STRICT=1 (exit 2 when a target is missed), BENCH_APP_NODE_ARGS (node flags for the app, e.g.
// "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
// Exit code: 0 when everything was measured, 1 on any failure or after 25 minutes.
//
// This file only runs scripts/bench.ts under tsx, which imports the app's TypeScript.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'bench.ts')], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
