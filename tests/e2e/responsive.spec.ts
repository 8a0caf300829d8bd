// The dashboard on a phone and on a laptop: no page scrolls sideways at 390 px or 1280 px (long
// IDs, branches, arguments and diffs wrap or scroll inside their own box), the navigation
// collapses behind a menu button on a phone, unknown pages get the styled 404, and a signed-out
// visitor meets a landing page. Set AEGIS_SCREENSHOT_DIR to keep screenshots of every page.
import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { createBusyRoom, type BusyRoom } from '../fixtures/busy-room';
import { fieldErrorsBanner } from '../fixtures/forms';
import { expectNotFoundPage, waitForHydration } from '../fixtures/pages';
import { createTestUser, signInViaApi } from '../fixtures/users';

const WIDTHS = [390, 1280] as const;

type DashboardPage = {
  name: string;
  url: (busy: BusyRoom) => string;
  heading: string | RegExp | ((busy: BusyRoom) => string);
  /** Opens what the page hides until asked: an editor, a result. */
  prepare?: (page: Page) => Promise<void>;
};

/** On the policy page: a rule's editor open, and the simulator's answer for a long path. */
async function openPolicyEditorAndSimulate(page: Page) {
  await page.getByRole('button', { name: 'Edit Branch naming' }).click();
  const form = page.getByRole('form', { name: 'Simulate a call' });
  await form.getByLabel('Branch', { exact: true }).fill('main');
  await form
    .getByLabel('File paths (one per line)')
    .fill(`infrastructure/${'a-deeply-nested-directory/'.repeat(4)}terraform-main-configuration.tf`);
  await form.getByRole('button', { name: 'Simulate' }).click();
  await expect(page.getByRole('region', { name: 'Simulation result' })).toContainText('Decision');
}

/** Submits the form `name` with what the server refuses, so the page shows its field errors. */
function showErrors(name: string, fill: Record<string, string>, submit: string) {
  return async (page: Page) => {
    const form = page.getByRole('form', { name });
    await waitForHydration(page, `form[aria-label="${name}"]`);
    for (const [label, value] of Object.entries(fill)) await form.getByLabel(label, { exact: true }).fill(value);
    await form.getByRole('button', { name: submit }).click();
    await expect(fieldErrorsBanner(form)).toBeVisible();
  };
}

const room = (busy: BusyRoom) => `/rooms/${busy.room.id}`;

const DASHBOARD_PAGES: DashboardPage[] = [
  { name: 'rooms', url: () => '/rooms', heading: 'Rooms' },
  { name: 'new-room', url: () => '/rooms/new', heading: 'New room' },
  { name: 'room', url: room, heading: (busy) => busy.room.name },
  { name: 'policy', url: (b) => `${room(b)}/policy`, heading: 'Policy', prepare: openPolicyEditorAndSimulate },
  { name: 'room-settings', url: (b) => `${room(b)}/settings`, heading: 'Room settings' },
  { name: 'pulls', url: (b) => `${room(b)}/pulls`, heading: 'Pull requests' },
  { name: 'pull', url: (b) => `${room(b)}/pulls/${b.pullNumber}`, heading: /Add the fingerprint module/ },
  { name: 'session', url: (b) => `${room(b)}/sessions/${b.sessionId}`, heading: /claude-code/ },
  { name: 'integrations', url: () => '/integrations', heading: 'Integrations' },
  { name: 'approvals', url: () => '/approvals', heading: 'Approvals' },
  { name: 'approvals-history', url: () => '/approvals?tab=history', heading: 'Approvals' },
  { name: 'approval', url: (b) => `/approvals/${b.approvalId}`, heading: /push_files in/ },
  { name: 'audit', url: () => '/audit', heading: 'Audit log' },
  { name: 'audit-entry', url: (b) => `/audit/${b.auditEntryId}`, heading: 'push_files call' },
  { name: 'profile', url: () => '/settings/profile', heading: 'Profile' },
  { name: 'not-found', url: (b) => `${room(b)}-unknown`, heading: 'Page not found' },
  // Forms showing their errors: the banner and the messages under the fields must fit too.
  {
    name: 'new-room-errors',
    url: () => '/rooms/new',
    heading: 'New room',
    prepare: showErrors('Create room', { 'Default branch': 'a..b' }, 'Create room'),
  },
  {
    name: 'room-errors',
    url: room,
    heading: (busy) => busy.room.name,
    prepare: showErrors('Add member', { Email: 'not-an-email' }, 'Add member'),
  },
  {
    name: 'room-settings-errors',
    url: (b) => `${room(b)}/settings`,
    heading: 'Room settings',
    prepare: showErrors(
      'Room settings',
      { 'Agent branch pattern': `${'a-very-long-agent-branch-pattern/'.repeat(4)}*.lock` },
      'Save settings',
    ),
  },
  {
    name: 'profile-errors',
    url: () => '/settings/profile',
    heading: 'Profile',
    prepare: showErrors(
      'Change password',
      { 'New password': 'short', 'Confirm new password': 'other' },
      'Change password',
    ),
  },
  { name: 'audit-errors', url: () => '/audit?from=not-a-date&to=nor-this', heading: 'Audit log' },
];

/** What sticks out past the right edge, for a failure message that says where to look. */
async function horizontalOverflow(
  page: Page,
): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    const innerWidth = window.innerWidth;
    const culprits: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      const rect = element.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= innerWidth + 1) continue;
      // Only the outermost culprit of each branch: its children stick out because it does.
      const parent = element.parentElement;
      if (parent && parent.getBoundingClientRect().right > innerWidth + 1) continue;
      const name = `${element.tagName.toLowerCase()}.${String(element.className).split(' ').slice(0, 4).join('.')}`;
      culprits.push(`${name} (right edge ${Math.round(rect.right)}px): ${element.textContent?.slice(0, 60)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits: culprits.slice(0, 5) };
  });
}

async function expectNoSidewaysScroll(page: Page, label: string) {
  const overflow = await horizontalOverflow(page);
  expect(
    overflow.scrollWidth,
    `${label} scrolls sideways (${overflow.scrollWidth} > ${overflow.innerWidth}):\n${overflow.culprits.join('\n')}`,
  ).toBeLessThanOrEqual(overflow.innerWidth);
}

/** Screenshots of the whole page, one per screenful, for a person to look at. */
async function screenshot(page: Page, name: string) {
  const dir = process.env.AEGIS_SCREENSHOT_DIR;
  if (!dir) return;
  const { width, height } = page.viewportSize()!;
  const total = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let part = 0, y = 0; y < total; part++, y += height) {
    const clip = { x: 0, y, width, height: Math.min(height, total - y) };
    await page.screenshot({ path: path.join(dir, `${name}-${part + 1}.png`), fullPage: true, clip });
  }
}

for (const width of WIDTHS) {
  test.describe(`the dashboard at ${width} px`, () => {
    // One seeded room serves every page at this width: the pages only read it.
    test.describe.configure({ mode: 'default' });
    test.use({ viewport: { width, height: 844 } });
    let busy: BusyRoom;
    test.beforeAll(async () => {
      busy = await createBusyRoom();
    });
    test.afterAll(async () => {
      await busy?.close();
    });

    for (const { name, url, heading, prepare } of DASHBOARD_PAGES) {
      test(`${name} does not scroll sideways`, async ({ page }) => {
        await signInViaApi(page.request, busy.reviewer);
        await page.goto(url(busy));
        await expect(
          page.getByRole('heading', { level: 1, name: typeof heading === 'function' ? heading(busy) : heading }),
        ).toBeVisible();
        await prepare?.(page);
        await expectNoSidewaysScroll(page, `${url(busy)} at ${width} px`);
        await screenshot(page, `${name}-${width}`);
      });
    }
  });

  test(`the sign-in, sign-up and landing pages fit ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 844 });
    for (const [name, url, heading] of [
      ['landing', '/', /agents/i],
      ['sign-in', '/sign-in', 'Sign in'],
      ['sign-up', '/sign-up', 'Create your account'],
    ] as const) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      await expectNoSidewaysScroll(page, `${url} at ${width} px`);
      await screenshot(page, `${name}-${width}`);
    }
    // With errors: the sign-in form names what is missing, the sign-up form what the server refused.
    await page.goto('/sign-in');
    await waitForHydration(page, 'form');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(fieldErrorsBanner(page.locator('form'))).toBeVisible();
    await expectNoSidewaysScroll(page, `/sign-in with errors at ${width} px`);
    await screenshot(page, `sign-in-errors-${width}`);
    await page.goto('/sign-up');
    await waitForHydration(page, 'form');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(fieldErrorsBanner(page.locator('form'))).toBeVisible();
    await expectNoSidewaysScroll(page, `/sign-up with errors at ${width} px`);
    await screenshot(page, `sign-up-errors-${width}`);
  });
}

test('on a phone the navigation hides behind a menu button that opens, closes and navigates', async ({ page }) => {
  const user = await createTestUser('phone');
  await page.setViewportSize({ width: 390, height: 844 });
  await signInViaApi(page.request, user);
  await page.goto('/rooms');

  const menu = page.getByRole('button', { name: 'Menu' });
  const navigation = page.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(navigation).toBeHidden();
  const controlled = await menu.getAttribute('aria-controls');
  expect(controlled).toBeTruthy();

  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(navigation).toBeVisible();
  await expect(page.locator(`#${controlled}`)).toBeVisible();
  // Focus moves into the opened navigation; Escape closes it and gives focus back to the button.
  await expect(navigation.getByRole('link', { name: 'Rooms' })).toBeFocused();
  await screenshot(page, 'menu-open-390');
  await page.keyboard.press('Escape');
  await expect(navigation).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();

  await menu.click();
  await navigation.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(navigation).toBeHidden();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
});

test('on a laptop the navigation is always shown and there is no menu button', async ({ page }) => {
  const user = await createTestUser('laptop');
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInViaApi(page.request, user);
  await page.goto('/rooms');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
});

test('an unknown room shows the styled not-found page with a way back', async ({ page }) => {
  const user = await createTestUser('lost');
  await signInViaApi(page.request, user);
  await page.goto('/rooms/no-such-room');
  await expectNotFoundPage(page);
  // Inside the dashboard: the navigation is still there.
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to your rooms' }).click();
  await expect(page).toHaveURL(/\/rooms$/);
});

test('an unknown URL outside the dashboard shows the styled not-found page too', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
});

test('a signed-out visitor meets a landing page with working Sign in and Sign up links', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/$/);
  const main = page.getByRole('main');
  for (const outcome of ['Allow', 'Rewrite', 'Approval', 'Block']) {
    await expect(main.getByRole('heading', { name: outcome })).toBeVisible();
  }
  await expect(main).toContainText('MCP');

  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.goto('/');
  await page.getByRole('link', { name: 'Sign up' }).first().click();
  await expect(page).toHaveURL(/\/sign-up$/);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
});

test('a signed-in user still lands on their dashboard', async ({ page }) => {
  const user = await createTestUser('home');
  await signInViaApi(page.request, user);
  await page.goto('/');
  await expect(page).toHaveURL(/\/rooms$/);
});

test('the favicon and app icon are served', async ({ page, request }) => {
  for (const url of ['/favicon.ico', '/icon.svg']) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
    expect(response.headers()['content-type'], url).toMatch(/^image\//);
  }
  await page.goto('/sign-in');
  const icons = await page
    .locator('link[rel~="icon"]')
    .evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href));
  expect(icons.length).toBeGreaterThan(0);
  for (const href of icons) expect((await request.get(href)).status(), href).toBe(200);
});
