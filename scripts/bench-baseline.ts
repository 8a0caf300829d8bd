// The benchmark's baseline: a bare MCP SDK server (no policy, no audit, no database) serving the
// same tool shapes as Aegis's `get_file_contents` (reading from the same bare repository with
// `git cat-file -p <ref>:<path>`) and `push_files` (one commit written straight into that
// repository with plumbing: blobs, a private index, write-tree, commit-tree, and an update-ref that
// only moves the branch from the head it read). It runs in its own process, like Aegis, on node:http at
// 127.0.0.1, over Streamable HTTP (`/mcp`, stateful sessions) and HTTP+SSE (`/sse` +
// `/messages`), one McpServer per session as the SDK requires.
//
// Usage: node --import tsx scripts/bench-baseline.ts <port> <bare repository path>
// Prints "listening <port>" on stdout once ready; stops on SIGTERM.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import nodePath from 'node:path';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const run = promisify(execFile);
const [portArg, repository] = process.argv.slice(2);
if (!portArg || !repository) throw new Error('usage: bench-baseline.ts <port> <bare repository>');

function createServer(): McpServer {
  const server = new McpServer({ name: 'bench-baseline', version: '1.0.0' });
  server.registerTool(
    'get_file_contents',
    {
      description: 'Get the contents of a file in the repository.',
      inputSchema: {
        owner: z.string().max(200).optional(),
        repo: z.string().max(200).optional(),
        path: z.string().max(4096).default('/'),
        ref: z.string().max(250).optional(),
        branch: z.string().max(250).optional(),
      },
    },
    async ({ path, ref, branch }) => {
      const file = path.replace(/^\/+|\/+$/g, '');
      const { stdout } = await run('git', ['cat-file', '-p', `${ref ?? branch ?? 'main'}:${file}`], {
        cwd: repository,
        encoding: 'utf8',
      });
      const data = { type: 'file', path: file, size: Buffer.byteLength(stdout), encoding: 'utf-8', content: stdout };
      return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }] };
    },
  );
  server.registerTool(
    'push_files',
    {
      description: 'Push several files to a branch as one commit (created from main if it does not exist).',
      inputSchema: {
        owner: z.string().max(200).optional(),
        repo: z.string().max(200).optional(),
        branch: z.string().min(1).max(250),
        files: z.array(z.object({ path: z.string().min(1).max(4096), content: z.string() })).max(100),
        message: z.string().min(1).max(10_000),
      },
    },
    async ({ branch, files, message }) => {
      const data = await pushFiles(branch, files, message);
      return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }] };
    },
  );
  return server;
}

const git = async (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const child = run('git', args, { cwd: repository, encoding: 'utf8', env: options.env });
  if (options.input !== undefined) child.child.stdin!.end(options.input);
  return (await child).stdout.trim();
};

async function pushFiles(branch: string, files: { path: string; content: string }[], message: string) {
  const ref = `refs/heads/${branch}`;
  const head = await git(['rev-parse', '--verify', '--quiet', ref]).catch(() => null);
  const parent = head ?? (await git(['rev-parse', '--verify', 'refs/heads/main']));
  const index = nodePath.join(os.tmpdir(), `bench-baseline-index-${randomUUID()}`);
  const env = {
    ...process.env,
    GIT_INDEX_FILE: index,
    GIT_AUTHOR_NAME: 'Bench agent',
    GIT_AUTHOR_EMAIL: 'agent@example.test',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.test',
  };
  try {
    const blobs = await Promise.all(files.map((f) => git(['hash-object', '-w', '--stdin'], { input: f.content })));
    await git(['read-tree', parent], { env });
    const info = files.map((f, i) => `100644 ${blobs[i]}\t${f.path}\n`).join('');
    await git(['update-index', '--index-info'], { env, input: info });
    const tree = await git(['write-tree'], { env });
    const sha = await git(['commit-tree', tree, '-p', parent, '-F', '-'], { env, input: message });
    await git(['update-ref', ref, sha, head ?? '0'.repeat(40)]);
    return { ref, commit: { sha, parent }, created_branch: head === null };
  } finally {
    await rm(index, { force: true });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

const streamable = new Map<string, StreamableHTTPServerTransport>();
const sse = new Map<string, SSEServerTransport>();

async function handleStreamable(req: IncomingMessage, res: ServerResponse) {
  const sessionId = req.headers['mcp-session-id'];
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  let transport = typeof sessionId === 'string' ? streamable.get(sessionId) : undefined;
  if (!transport) {
    if (sessionId !== undefined || !isInitializeRequest(body)) {
      res.writeHead(sessionId === undefined ? 400 : 404).end();
      return;
    }
    const created = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void streamable.set(id, created),
    });
    created.onclose = () => {
      if (created.sessionId) streamable.delete(created.sessionId);
    };
    await createServer().connect(created);
    transport = created;
  }
  await transport.handleRequest(req, res, body);
}

async function openSse(res: ServerResponse) {
  const transport = new SSEServerTransport('/messages', res);
  sse.set(transport.sessionId, transport);
  transport.onclose = () => sse.delete(transport.sessionId);
  await createServer().connect(transport);
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/mcp') return handleStreamable(req, res);
  if (url.pathname === '/sse' && req.method === 'GET') return openSse(res);
  if (url.pathname === '/messages' && req.method === 'POST') {
    const transport = sse.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) return void res.writeHead(404).end();
    return transport.handlePostMessage(req, res);
  }
  res.writeHead(404).end();
}

const httpServer = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error('[baseline]', error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
httpServer.listen(Number(portArg), '127.0.0.1', () => console.log(`listening ${portArg}`));
process.on('SIGTERM', () => {
  httpServer.closeAllConnections();
  httpServer.close(() => process.exit(0));
});
