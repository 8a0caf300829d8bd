// The story of issue 13: a user adds one URL to their agent, approves it in the browser, and the
// agent works — no secret pasted anywhere. The official MCP SDK client with its OAuth support
// starts from nothing: a 401 names the protected resource metadata, it discovers the authorization
// server, registers itself, sends the user to the consent page, exchanges the code, and pushes.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { db } from '@/lib/db';
import { gitLog } from '../fixtures/git';
import { createTestRoom } from '../fixtures/rooms';
import { callOk } from '../fixtures/agents';
import {
  approveInBrowser,
  authorizationUrl,
  connectWithOAuth,
  pkcePair,
  registerTestClient,
  roomMcpUrl,
  startLoopbackReceiver,
  TestOAuthProvider,
} from '../fixtures/oauth';

test('an agent connects to a room’s MCP URL with OAuth, from nothing, and acts with the role the user chose', async ({
  page,
}) => {
  const room = await createTestRoom();
  const receiver = await startLoopbackReceiver();
  const provider = new TestOAuthProvider(receiver.redirectUri, 'Claude Code (test)');
  const url = new URL(roomMcpUrl(room.id));
  try {
    const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await expect(new Client({ name: 'oauth-agent', version: '1.0.0' }).connect(first)).rejects.toThrow(
      UnauthorizedError,
    );
    // Discovery, registration and the PKCE authorization request happened; now the user's browser.
    expect(provider.clientInformation()?.client_id).toMatch(/^aegis_client_/);
    const authorizationUrl = provider.authorizationUrls[0]!;
    expect(authorizationUrl.searchParams.get('resource')).toBe(url.toString());
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');

    await approveInBrowser(page, authorizationUrl.toString(), {
      role: 'ADMIN',
      signIn: room.owner,
      shows: { agent: 'Claude Code (test)', returnsTo: new URL(receiver.redirectUri).host, room: room.name },
    });
    const callback = await receiver.next();
    const code = callback.searchParams.get('code');
    expect(code).toMatch(/^aegis_oac_/);
    expect(callback.searchParams.get('state')).toBe(authorizationUrl.searchParams.get('state'));
    await first.finishAuth(code!);
    expect(provider.tokens()?.access_token).toMatch(/^aegis_oat_/);

    const agent = new Client({ name: 'oauth-agent', version: '1.0.0' });
    await agent.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    const tools = await agent.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('push_files');
    await callOk(agent, 'create_branch', { branch: 'aegis/oauth', from_branch: 'main' });
    await callOk(agent, 'push_files', {
      branch: 'aegis/oauth',
      message: 'Pushed by an agent the user approved in the browser',
      files: [{ path: 'src/oauth.ts', content: 'export const signedIn = true;\n' }],
    });
    expect(gitLog(room.origin, 'aegis/oauth')[0]?.subject).toBe('Pushed by an agent the user approved in the browser');
    await agent.close();

    // The audit entry names the user and the role chosen at consent.
    const entry = await db.auditEntry.findFirstOrThrow({
      where: { roomId: room.id, tool: 'push_files', kind: 'decision' },
      select: { userId: true, role: true, decision: true },
    });
    expect(entry).toEqual({ userId: room.owner.id, role: 'ADMIN', decision: 'allow' });

    // The room page shows the URL the agent was given, as the recommended way to connect.
    await page.goto(`/rooms/${room.id}`);
    await expect(page.getByLabel('Room MCP URL', { exact: true })).toHaveText(url.toString());

    // Settings lists the agent, with its room and role.
    await page.goto('/settings/profile');
    const row = page
      .getByRole('table', { name: 'Authorised agents' })
      .getByRole('row', { name: /Claude Code \(test\)/ });
    await expect(row).toContainText(room.name);
    await expect(row).toContainText('ADMIN');
    await expect(row).toContainText('127.0.0.1');
  } finally {
    await receiver.close();
  }
});

test('the consent page and the authorised agents list fit a phone and a laptop', async ({ page, request }) => {
  const room = await createTestRoom();
  const receiver = await startLoopbackReceiver();
  try {
    await connectWithOAuth(page, room.id, room.owner, 'DEVELOPER', 'Cursor (test agent with a long name)');
    const clientId = await registerTestClient(request, [receiver.redirectUri], 'Claude Code');
    const consentUrl = authorizationUrl({
      clientId,
      redirectUri: receiver.redirectUri,
      challenge: pkcePair().challenge,
      resource: roomMcpUrl(room.id),
    });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(consentUrl);
      await expect(page.getByRole('heading', { name: 'Connect Claude Code to Aegis?' })).toBeVisible();
      await expectNoSidewaysScroll(page, width);
      await screenshot(page, `oauth-consent-${width}`);
      await page.goto('/settings/profile');
      await expect(page.getByRole('table', { name: 'Authorised agents' })).toBeVisible();
      await page.getByRole('heading', { name: 'Authorised agents' }).scrollIntoViewIfNeeded();
      await screenshot(page, `oauth-settings-${width}`);
      await expectNoSidewaysScroll(page, width);
    }
  } finally {
    await receiver.close();
  }
});

async function expectNoSidewaysScroll(page: Page, width: number) {
  const { scrollWidth, culprits } = await page.evaluate(() => {
    const right = window.innerWidth + 1;
    const outermost = Array.from(document.body.querySelectorAll('*')).filter((element) => {
      const parent = element.parentElement;
      return element.getBoundingClientRect().right > right && !(parent && parent.getBoundingClientRect().right > right);
    });
    return {
      scrollWidth: document.documentElement.scrollWidth,
      culprits: outermost.map((e) => `${e.tagName.toLowerCase()}.${String(e.className).slice(0, 80)}`).slice(0, 5),
    };
  });
  expect(scrollWidth, `the page scrolls sideways at ${width} px: ${culprits.join('; ')}`).toBeLessThanOrEqual(width);
}

/** Set AEGIS_SCREENSHOT_DIR to keep screenshots for a person to look at. */
async function screenshot(page: Page, name: string) {
  const dir = process.env.AEGIS_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
