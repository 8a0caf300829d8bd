// GET /api/metrics as Prometheus scrapes it, while an agent works: counters move with the calls the
// agent makes. Other tests run in parallel against the same app, so the test compares before/after.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { addTestMember, createTestRoom } from '../fixtures/rooms';
import { callOk, connectAgent } from '../fixtures/agents';

async function scrape(request: APIRequestContext) {
  const response = await request.get('/api/metrics');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

function sample(text: string, metric: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${metric}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

test('metrics count calls by tool and decision, time them, and show live sessions', async ({ request }) => {
  const room = await createTestRoom();
  const developer = await addTestMember(room, 'DEVELOPER');
  const before = await scrape(request);
  const agent = await connectAgent('streamable-http', {
    userId: developer.id,
    roomId: room.id,
    token: developer.token,
    role: 'DEVELOPER',
  });
  try {
    await callOk(agent, 'list_branches', {});
    await callOk(agent, 'list_branches', {});
    await agent.callTool({ name: 'get_file_contents', arguments: { path: 42 } });
    const during = await scrape(request);
    const allowed = '{tool="list_branches",decision="allow"}';
    expect(
      sample(during, 'aegis_tool_calls_total', allowed) - sample(before, 'aegis_tool_calls_total', allowed),
    ).toBeGreaterThanOrEqual(2);
    const invalid = '{tool="get_file_contents",decision="invalid"}';
    expect(sample(during, 'aegis_tool_calls_total', invalid)).toBeGreaterThan(
      sample(before, 'aegis_tool_calls_total', invalid),
    );
    expect(sample(during, 'aegis_tool_call_duration_seconds_count', '{tool="list_branches"}')).toBeGreaterThanOrEqual(
      2,
    );
    expect(sample(during, 'aegis_live_sessions')).toBeGreaterThanOrEqual(1);
    expect(during).toMatch(/^aegis_audit_write_duration_seconds_count \d+/m);
    expect(during).toMatch(/^aegis_pending_approvals \d+/m);
    expect(during).toMatch(/^aegis_event_bus_reconnects_total \d+/m);
    // No room, user or token ever appears in a label.
    for (const secret of [room.id, developer.id, developer.token]) expect(during).not.toContain(secret);
  } finally {
    await agent.close();
  }
});
