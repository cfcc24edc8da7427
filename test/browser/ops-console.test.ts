// The ops console in Chromium: sign in on the local sign-in page, work the queue, approve with evidence; what a
// second browser, a signed-out browser and a forged post get. SCREENSHOTS_DIR=docs/screenshots saves the pages.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiUrl, newFirm } from '../support/api.ts';
import { launchChromium, recordProblems } from '../support/chromium.ts';
import { mailTo, waitForMail } from '../support/mail.ts';
import { prospectTicket, ticketStatus } from './ops-console-client.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** A fresh browser (its own cookies) that records console errors, page errors and CSP violations. */
const openBrowser = async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  return { context, page, problems: recordProblems(page) };
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

const screenshot = async (page: Page, name: string) => {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
};

/** Signs in through the local sign-in page, starting from `path` as a bookmarked link would. */
const signIn = async (page: Page, path: string, email: string, firmId: string) => {
  await page.goto(`${apiUrl()}${path}`);
  expect(await heading(page)).toBe('Local sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Firm id').fill(firmId);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
};

describe('the ops console in a browser', () => {
  it('signs in, shows the queue, opens a ticket and approves it with evidence; a second browser sees it approved', async () => {
    const firm = newFirm();
    const ngozi = await prospectTicket({ firm, firstName: 'Ngozi', lastName: 'Okafor', household: 'The Okafor Family' });
    const erik = await prospectTicket({ firm, firstName: 'Erik', lastName: 'Lindqvist', household: 'The Lindqvist Household' });
    const first = await openBrowser();

    await signIn(first.page, '/ops/console', 'amara.ops@platform.test', firm);
    expect(new URL(first.page.url()).pathname).toBe('/ops/console');
    expect(await heading(first.page)).toBe('Verification queue');
    await first.page.getByLabel('Status').selectOption('open');
    await first.page.getByRole('button', { name: 'Filter' }).click();
    await first.page.waitForLoadState('load');
    expect(new URL(first.page.url()).searchParams.get('status')).toBe('open');
    const rows = first.page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    // Oldest first, each with its age, firm, reason and assignee.
    expect(await rows.nth(0).getAttribute('data-ticket')).toBe(ngozi.ticketId);
    expect(await rows.nth(0).textContent()).toMatch(/(just now|\d+ min)Ngozi Okafor.*firm-.*Prospect without accounts.*Open.*Unassigned/);
    await expect(first.page.getByText('amara.ops@platform.test').isVisible()).resolves.toBe(true);
    await screenshot(first.page, 'ops-console-queue');

    await first.page.getByRole('link', { name: 'Ngozi Okafor' }).click();
    await first.page.waitForLoadState('load');
    expect(await heading(first.page)).toBe('Verify Ngozi Okafor');
    const facts = await first.page.locator('dl').textContent();
    expect(facts).toContain(ngozi.clientEmail);
    expect(facts).toContain(ngozi.householdId);
    expect(facts).toContain(firm);
    expect(facts).toContain(`advisor-${firm}`);
    expect(await first.page.locator('table').last().textContent()).toContain('Raised');
    await first.page.getByLabel('How you verified the client').selectOption('phone');
    await first.page.getByLabel('Reference').first().fill('call 2026-118');
    await first.page.getByLabel('Note').fill('Called the client on the number the advisor gave; confirmed date of birth.');
    await screenshot(first.page, 'ops-console-ticket');
    const [posted] = await Promise.all([
      first.page.waitForResponse((response) => response.request().method() === 'POST'),
      first.page.getByRole('button', { name: 'Approve and send the client a new link' }).click(),
    ]);
    await first.page.waitForLoadState('load');
    expect(posted.status()).toBe(303);
    expect(await first.page.getByRole('status').textContent()).toContain('Approved');
    expect(await first.page.locator('dl').textContent()).toContain('Evidence: Phone call (call 2026-118). Called the client');
    expect(await first.page.getByRole('button', { name: /Approve/ }).count()).toBe(0);
    await screenshot(first.page, 'ops-console-approved');
    await waitForMail(ngozi.clientEmail, 2);
    expect((await ticketStatus(ngozi)).status).toBe('approved');

    const second = await openBrowser();
    await signIn(second.page, `/ops/console/tickets/${ngozi.ticketId}`, 'bruno.ops@platform.test', firm);
    expect(await heading(second.page)).toBe('Verify Ngozi Okafor');
    expect(await second.page.locator('dl').textContent()).toMatch(/StatusApproved.*Decided.*by local-ops:amara\.ops@platform\.test/);
    expect(await second.page.getByRole('button', { name: /Approve|Reject/ }).count()).toBe(0);
    await second.page.goto(`${apiUrl()}/ops/console`);
    expect(await second.page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).toEqual([erik.ticketId]);

    expect([...first.problems, ...second.problems]).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  it('gives a signed-out browser the sign-in page and no ticket data', async () => {
    const ticket = await prospectTicket({ firstName: 'Private', lastName: 'Person' });
    const { context, page, problems } = await openBrowser();
    const opened = await page.goto(`${apiUrl()}/ops/console/tickets/${ticket.ticketId}`);
    expect(opened?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/ops/console/local-sign-in');
    expect(await heading(page)).toBe('Local sign-in');
    await screenshot(page, 'ops-console-local-sign-in');
    const content = await page.content();
    for (const secret of ['Private', 'Person', ticket.clientEmail, ticket.householdId, ticket.firm]) expect(content).not.toContain(secret);
    expect(await context.cookies()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a post without the CSRF token, and a form another site makes the browser post', async () => {
    const ticket = await prospectTicket({ firstName: 'Forged', lastName: 'Target' });
    const { context, page } = await openBrowser();
    await signIn(page, '/ops/console', 'ops.csrf.browser@platform.test', ticket.firm);
    const approve = `${apiUrl()}/ops/console/tickets/${ticket.ticketId}/approve`;
    // The browser's own cookie, its own origin, but no token: refused.
    const tokenless = await context.request.post(approve, { form: { method: 'phone' }, headers: { origin: new URL(apiUrl()).origin }, maxRedirects: 0 });
    expect(tokenless.status()).toBe(403);
    expect(await tokenless.text()).toContain('nothing was changed');

    // Another site's page posts the form: SameSite=Lax keeps the session cookie off it, so it meets the sign-in page.
    const attacker = await serveAttackerPage(approve);
    try {
      await page.goto(attacker.url);
      await page.getByRole('button', { name: 'Win a prize' }).click();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/ops/console/local-sign-in');
    } finally {
      await new Promise((resolve) => attacker.server.close(resolve));
    }
    expect((await ticketStatus(ticket)).status).toBe('open');
    expect(await mailTo(ticket.clientEmail)).toHaveLength(1);
    await context.close();
  });
});

/** A page on another site (127.0.0.1 is not localhost's site) with a form aimed at the console. */
const serveAttackerPage = async (target: string): Promise<{ url: string; server: Server }> => {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<form method="post" action="${target}"><input type="hidden" name="method" value="phone"><input type="hidden" name="csrf" value="guessed"><button>Win a prize</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`, server };
};
