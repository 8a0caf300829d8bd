// The gateway end to end: the official MCP SDK client connects to the running Aegis over both
// transports and changes a real bare repository; git itself confirms what landed.
import { expect, test } from '@playwright/test';
import { branches, gitLog, git, pushOutsideCommit } from '../fixtures/git';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { baseUrl, callOk, connectAgent, resultText, sseUrl, type TransportName } from '../fixtures/agents';
import { signInViaApi } from '../fixtures/users';

for (const transport of ['sse', 'streamable-http'] as TransportName[]) {
  test(`${transport}: an agent branches, pushes, opens a change request and merges it`, async () => {
    const room = await createTestRoom();
    const owner = room.owner;
    const agent = await connectAgent(transport, {
      userId: owner.id,
      roomId: room.id,
      token: room.token,
      role: 'OWNER',
    });
    try {
      const { tools } = await agent.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        [
          'create_branch',
          'create_or_update_file',
          'create_pull_request',
          'delete_branch',
          'delete_file',
          'get_file_contents',
          'list_branches',
          'list_pull_requests',
          'merge_pull_request',
          'push_files',
          'update_pull_request',
          'wait_for_approval',
        ].sort(),
      );

      await callOk(agent, 'create_branch', { branch: 'aegis/greeting', from_branch: 'main' });
      const pushed = await callOk<{ commit: { sha: string } }>(agent, 'push_files', {
        branch: 'aegis/greeting',
        message: 'Add a greeting',
        files: [
          { path: 'src/greeting.ts', content: 'export const greeting = "hello";\n' },
          { path: 'docs/greeting.md', content: '# Greeting\n' },
        ],
      });
      const file = await callOk<{ content: string }>(agent, 'get_file_contents', {
        path: 'src/greeting.ts',
        ref: 'aegis/greeting',
      });
      expect(file.content).toBe('export const greeting = "hello";\n');

      const pr = await callOk<{ number: number; url: string }>(agent, 'create_pull_request', {
        title: 'Greeting',
        head: 'aegis/greeting',
        base: 'main',
      });
      expect(pr.number).toBe(1);
      expect(pr.url).toContain(`/rooms/${room.id}/pulls/1`);
      const listed = await callOk<{ number: number }[]>(agent, 'list_pull_requests', {});
      expect(listed.map((p) => p.number)).toEqual([1]);

      // main moves meanwhile (a colleague pushes directly), so the merge needs a merge commit.
      const outside = pushOutsideCommit(room.origin, 'main', 'CHANGELOG.md', '# Changes\n', 'Start a changelog');
      const merged = await callOk<{ sha: string; method: string }>(agent, 'merge_pull_request', { pullNumber: 1 });
      expect(merged.method).toBe('merge');

      // git on the origin: exactly the expected commits, author and message.
      const log = gitLog(room.origin, 'main');
      expect(log).toHaveLength(4);
      expect(log[0]).toMatchObject({ sha: merged.sha, subject: 'Merge pull request #1: Greeting' });
      expect(log[3]!.subject).toBe('Initial commit');
      expect(git(room.origin, 'log', '-1', '--format=%P', 'main').split(' ')).toEqual([outside, pushed.commit.sha]);
      const ours = log.find((c) => c.sha === pushed.commit.sha);
      expect(ours).toMatchObject({ subject: 'Add a greeting', author: `${owner.name} <${owner.email}>` });
      expect(git(room.origin, 'show', 'main:src/greeting.ts')).toBe('export const greeting = "hello";');
      expect(git(room.origin, 'show', '--stat', '--format=', pushed.commit.sha)).toContain('2 files changed');
      expect(branches(room.origin)).toEqual(['aegis/greeting', 'main']);
    } finally {
      await agent.close();
    }
  });
}

test('bad arguments get a clear error naming the problem and leave the repository unchanged', async () => {
  const room = await createTestRoom();
  const agent = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  const before = { log: gitLog(room.origin, 'main'), branches: branches(room.origin) };
  const push = (branch: string, path: string) =>
    agent.callTool({ name: 'push_files', arguments: { branch, message: 'x', files: [{ path, content: 'x' }] } });
  try {
    const cases: [Promise<unknown>, RegExp][] = [
      [push('aegis/x', '../escape.txt'), /\.\./],
      [push('aegis/x', '/etc/passwd'), /absolute|leading|\//i],
      [push('aegis/x', '.git/config'), /\.git/],
      [push('aegis/x', 'src/.GIT/hooks/pre-commit'), /\.git/i],
      [push('-oops', 'ok.txt'), /-/],
      [push('a..b', 'ok.txt'), /\.\./],
      [agent.callTool({ name: 'create_branch', arguments: { branch: '-oops' } }), /-/],
      [
        agent.callTool({
          name: 'push_files',
          arguments: { branch: 'aegis/x', files: [{ path: 'a.txt' }], message: 'x' },
        }),
        /files\.0\.content/,
      ],
      [
        agent.callTool({ name: 'get_file_contents', arguments: { path: 'README.md', repo: 'some-other-repo' } }),
        /cannot act on some-other-repo/,
      ],
    ];
    for (const [call, message] of cases) {
      const result = (await call) as { isError?: boolean };
      expect(result.isError, resultText(result)).toBe(true);
      expect(resultText(result)).toMatch(message);
      expect(resultText(result)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
    }
    await expect(agent.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(
      /Unknown tool: drop_database/,
    );
    expect(gitLog(room.origin, 'main')).toEqual(before.log);
    expect(branches(room.origin)).toEqual(before.branches);
  } finally {
    await agent.close();
  }
});

test('owner/repo naming the room repository are accepted', async () => {
  const room = await createTestRoom();
  const agent = await connectAgent('sse', { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' });
  try {
    const readme = await callOk<{ content: string }>(agent, 'get_file_contents', {
      owner: 'anyone',
      repo: 'origin',
      path: 'README.md',
    });
    expect(readme.content).toBe('# Fixture\n');
    const root = await callOk<{ name: string }[]>(agent, 'get_file_contents', { path: '/' });
    expect(root.map((e) => e.name).sort()).toEqual(['README.md', 'src']);
  } finally {
    await agent.close();
  }
});

test('a DEVELOPER agent may connect as DEVELOPER but not above its role', async ({ request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const agent = await connectAgent('sse', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  expect((await agent.listTools()).tools.length).toBeGreaterThan(0);
  await agent.close();

  const response = await request.get('/mcp', {
    headers: {
      Authorization: `Bearer ${developer.token}`,
      'X-Aegis-User': developer.id,
      'X-Aegis-Room': room.id,
      'X-Aegis-Role': 'ADMIN',
    },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ error: 'role_not_allowed' });
});

test('an allowed read is audited with its outcome before the agent gets what it read', async ({ request }) => {
  const room = await createTestRoom();
  const agent = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  let missing: string;
  try {
    await callOk(agent, 'get_file_contents', { path: 'README.md' });
    const failed = await agent.callTool({ name: 'get_file_contents', arguments: { path: 'no/such/file.txt' } });
    expect(failed.isError).toBe(true);
    missing = resultText(failed);
  } finally {
    await agent.close();
  }

  // The owner reads the room's audit log as they would download it.
  await signInViaApi(request, room.owner);
  const exported = await request.get(`/api/audit/export?format=jsonl&room=${room.id}&tool=get_file_contents`);
  expect(exported.status()).toBe(200);
  const reads = (await exported.text())
    .trim()
    .split('\n')
    .map(
      (line) =>
        JSON.parse(line) as { seq: number; decision: string; outcome: { status: string; error: string | null } | null },
    )
    .sort((a, b) => a.seq - b.seq);
  expect(reads.map((r) => [r.decision, r.outcome?.status])).toEqual([
    ['allow', 'ok'],
    ['allow', 'error'],
  ]);
  expect(reads[1]!.outcome!.error).toBe(missing);
  const verified = await request.get(`/api/rooms/${room.id}/audit/verify`);
  expect(await verified.json()).toMatchObject({ intact: true });
});

test("an SSE agent's messages are acknowledged without compression", async () => {
  const room = await createTestRoom();
  const credentials = { userId: room.owner.id, roomId: room.id, token: room.token, role: 'OWNER' };
  const abort = new AbortController();
  const stream = await fetch(sseUrl(credentials), { signal: abort.signal });
  try {
    // The stream's first event announces where to post messages.
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let announced = '';
    while (!/^data: .+$/m.test(announced)) announced += (await reader.read()).value ?? '';
    const endpoint = new URL(/^data: (.+)$/m.exec(announced)![1]!, baseUrl());
    const acknowledged = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip, deflate, br' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
      }),
    });
    expect(acknowledged.status).toBe(202);
    expect(acknowledged.headers.get('content-encoding')).toBeNull();
    expect(await acknowledged.text()).toBe('Accepted');
  } finally {
    abort.abort();
  }
});
