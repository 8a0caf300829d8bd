// A drive letter is refused in any segment of a pushed path, not only at its start: an agent (the
// official MCP SDK client) pushing "docs/C:" gets a clear error, the refusal is audited, and git
// shows that nothing was committed.
import { expect, test } from '@playwright/test';
import { db } from '@/lib/db';
import { branches, gitLog } from '../fixtures/git';
import { createTestRoom } from '../fixtures/rooms';
import { connectAgent, resultText } from '../fixtures/agents';

for (const path of ['docs/C:', ':x.txt/C:', 'a/c:/b']) {
  test(`push_files with the path "${path}" is refused and commits nothing`, async () => {
    const room = await createTestRoom();
    // The OWNER: every preset allows its pushes, so only path validation stands in the way.
    const agent = await connectAgent('streamable-http', {
      userId: room.owner.id,
      roomId: room.id,
      token: room.token,
      role: 'OWNER',
    });
    const before = { main: gitLog(room.origin, 'main'), branches: branches(room.origin) };
    try {
      for (const branch of ['main', 'aegis/drive']) {
        const result = await agent.callTool({
          name: 'push_files',
          arguments: { branch, message: 'Add a file', files: [{ path, content: 'x\n' }] },
        });
        expect(result.isError, resultText(result)).toBe(true);
        expect(resultText(result)).toContain(`Invalid file path "${path}": it must not contain a drive letter`);
      }
      expect(gitLog(room.origin, 'main')).toEqual(before.main);
      expect(branches(room.origin)).toEqual(before.branches);

      const refusals = await db.auditEntry.findMany({
        where: { roomId: room.id, tool: 'push_files' },
        select: { kind: true, decision: true, reason: true },
      });
      expect(refusals).toHaveLength(2);
      for (const entry of refusals) {
        expect(entry).toMatchObject({ kind: 'decision', decision: 'invalid' });
        expect(entry.reason).toMatch(/drive letter/);
      }
    } finally {
      await agent.close();
    }
  });
}
