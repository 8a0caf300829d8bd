// create_or_update_file, delete_file and update_pull_request on a git room, through the official
// MCP SDK client: the same tools as on GitHub rooms, with GitHub's `sha` rules (a file that exists
// is replaced or deleted only by a call that names the blob it is at now).
import { expect, test } from '@playwright/test';
import { callOk, connectAgent, resultText } from '../fixtures/agents';
import { git, gitLog } from '../fixtures/git';
import { createTestRoom } from '../fixtures/rooms';

test('file tools follow GitHub sha semantics on a git room, and a DEVELOPER cannot use them to bypass branch protection', async () => {
  const room = await createTestRoom();
  const owner = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'OWNER',
  });
  await callOk(owner, 'create_branch', { branch: 'aegis/docs' });
  const readme = await callOk<{ sha: string }>(owner, 'get_file_contents', { path: 'README.md', ref: 'aegis/docs' });

  const withoutSha = await owner.callTool({
    name: 'create_or_update_file',
    arguments: { branch: 'aegis/docs', path: 'README.md', content: '# New\n', message: 'Rewrite' },
  });
  expect(withoutSha.isError).toBe(true);
  expect(resultText(withoutSha)).toContain(`give its current blob sha (${readme.sha})`);

  const updated = await callOk<{ content: { sha: string }; commit: { sha: string } }>(owner, 'create_or_update_file', {
    branch: 'aegis/docs',
    path: 'README.md',
    content: '# New\n',
    message: 'Rewrite the readme',
    sha: readme.sha,
  });
  expect(git(room.origin, 'show', 'aegis/docs:README.md')).toBe('# New');
  expect(gitLog(room.origin, 'aegis/docs')[0]).toMatchObject({
    sha: updated.commit.sha,
    subject: 'Rewrite the readme',
  });

  const stale = await owner.callTool({
    name: 'delete_file',
    arguments: { branch: 'aegis/docs', path: 'README.md', message: 'Remove', sha: readme.sha },
  });
  expect(stale.isError).toBe(true);
  expect(resultText(stale)).toContain('changed since you read it');

  const created = await callOk<{ content: { sha: string } }>(owner, 'create_or_update_file', {
    branch: 'aegis/docs',
    path: 'docs/guide.md',
    content: 'Guide\n',
    message: 'Add a guide',
  });
  await callOk(owner, 'delete_file', {
    branch: 'aegis/docs',
    path: 'docs/guide.md',
    message: 'Drop the guide',
    sha: created.content.sha,
  });
  expect(git(room.origin, 'ls-tree', '--name-only', 'aegis/docs')).not.toContain('docs');

  // A DEVELOPER's one-file write to main is a push to a protected branch: rewritten, main untouched.
  const developer = await connectAgent('streamable-http', {
    userId: room.owner.id,
    roomId: room.id,
    token: room.token,
    role: 'DEVELOPER',
  });
  const mainBefore = gitLog(room.origin, 'main');
  const mainReadme = await callOk<{ sha: string }>(developer, 'get_file_contents', { path: 'README.md' });
  const rewritten = await callOk<{ rewritten: boolean; pull_request: { number: number } }>(
    developer,
    'create_or_update_file',
    {
      branch: 'main',
      path: 'README.md',
      content: '# Straight to main\n',
      message: 'Sneak in',
      sha: mainReadme.sha,
    },
  );
  expect(rewritten.rewritten).toBe(true);
  expect(gitLog(room.origin, 'main')).toEqual(mainBefore);

  const closed = await callOk<{ state: string; title: string }>(owner, 'update_pull_request', {
    pullNumber: rewritten.pull_request.number,
    title: 'Not this way',
    state: 'closed',
  });
  expect(closed).toMatchObject({ state: 'closed', title: 'Not this way' });
  await owner.close();
  await developer.close();
});
