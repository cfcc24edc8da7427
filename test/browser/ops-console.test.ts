// The ops console in Chromium: one ops user signs in on the local sign-in page and works two firms' tickets (filter,
// claim, approve and reject with evidence); what a second browser, a signed-out browser and a forged post get.
// SCREENSHOTS_DIR=docs/screenshots saves the pages (run this file alone, so the queue shows only its tickets).
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiUrl, newFirm } from '../support/api.ts';
import { recordProblems, useChromium } from '../support/chromium.ts';
import { mailTo, waitForMail } from '../support/mail.ts';
import { prospectTicket, ticketStatus } from './ops-console-client.ts';

const browser = useChromium();

/** A fresh browser (its own cookies) that records console errors, page errors and CSP violations. */
const openBrowser = async (expected?: (line: string) => boolean) => {
  const context = await browser().newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  return { context, page, problems: recordProblems(page, expected) };
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

const screenshot = async (page: Page, name: string) => {
  const dir = process.env.SCREENSHOTS_DIR;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
};

/** Signs in through the local sign-in page as a member of the platform's ops team, starting from `path` as a bookmark would. */
const signIn = async (page: Page, path: string, email: string) => {
  await page.goto(`${apiUrl()}${path}`);
  expect(await heading(page)).toBe('Local sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
};

/** Sets the queue's filters as a person would, and submits them. */
const filter = async (page: Page, filters: { firmId?: string; assignee?: 'Anyone' | 'Me' | 'Unassigned' }) => {
  await page.getByLabel('Firm id').fill(filters.firmId ?? '');
  await page.getByLabel('Assignee').selectOption({ label: filters.assignee ?? 'Anyone' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForLoadState('load');
};

const rowIds = (page: Page) => page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket')));
const rowOf = (page: Page, ticketId: string) => page.locator(`tr[data-ticket="${ticketId}"]`);

/** Clicks a form's button and answers the status of the post it made (before its redirect is followed). */
const posting = async (page: Page, button: ReturnType<Page['getByRole']>) => {
  const [posted] = await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), button.click()]);
  await page.waitForLoadState('load');
  return posted.status();
};

describe('the ops console in a browser', () => {
  it('lets one ops user, signed in once, work tickets of two firms; a second browser sees them claimed and cannot claim them', async () => {
    const harbor = newFirm();
    const northwind = newFirm();
    const ngozi = await prospectTicket({ firm: harbor, firstName: 'Ngozi', lastName: 'Okafor', household: 'The Okafor Family' });
    const erik = await prospectTicket({ firm: northwind, firmName: 'Northwind Partners', firstName: 'Erik', lastName: 'Lindqvist', household: 'The Lindqvist Household' });
    const sofia = await prospectTicket({ firm: northwind, firmName: 'Northwind Partners', firstName: 'Sofia', lastName: 'Reyes', household: 'Reyes Family Trust' });
    const amara = await openBrowser();
    // Chromium logs the refused claim's 409 page as a failed resource: that refusal is what this browser is for.
    const bruno = await openBrowser((line) => line.includes('status of 409 (Conflict)'));

    // Amara, once signed in, takes the one unclaimed ticket of the first firm.
    await signIn(amara.page, '/ops/console', 'amara.ops@platform.test');
    expect(new URL(amara.page.url()).pathname).toBe('/ops/console');
    expect(await heading(amara.page)).toBe('Verification queue');
    await expect(amara.page.getByText('amara.ops@platform.test').isVisible()).resolves.toBe(true);
    await filter(amara.page, { firmId: harbor, assignee: 'Unassigned' });
    expect(Object.fromEntries(new URL(amara.page.url()).searchParams)).toMatchObject({ firmId: harbor, assignee: 'none' });
    expect(await rowIds(amara.page)).toEqual([ngozi.ticketId]);
    // Each row: age, client, household, firm (name and id), reason, status, assignee, and what one can do.
    const row = (await rowOf(amara.page, ngozi.ticketId).textContent()) ?? '';
    const age = /^(just now|\d+ min)/.exec(row)?.[0] ?? 'no age';
    expect(row.slice(age.length)).toBe(`Ngozi Okafor${ngozi.clientEmail}The Okafor FamilyHarbor & Stone Wealth${harbor}Prospect without accountsOpenUnassignedClaim`);
    expect(await posting(amara.page, amara.page.getByRole('button', { name: 'Claim the ticket of Ngozi Okafor' }))).toBe(303);
    // Back on the same filtered page, where a claimed ticket is no longer unassigned.
    expect(Object.fromEntries(new URL(amara.page.url()).searchParams)).toMatchObject({ firmId: harbor, assignee: 'none' });
    expect(await amara.page.getByText('No tickets match these filters.').isVisible()).toBe(true);

    // Bruno, in another browser, opens the second firm's queue while both its tickets are free.
    await signIn(bruno.page, `/ops/console?firmId=${northwind}`, 'bruno.ops@platform.test');
    expect(await rowIds(bruno.page)).toEqual([erik.ticketId, sofia.ticketId]);

    // Amara takes Erik's ticket; Bruno's page is stale, and his claim is refused with why.
    await filter(amara.page, { firmId: northwind });
    expect(await rowIds(amara.page)).toEqual([erik.ticketId, sofia.ticketId]);
    expect(await posting(amara.page, amara.page.getByRole('button', { name: 'Claim the ticket of Erik Lindqvist' }))).toBe(303);
    expect(await rowOf(amara.page, erik.ticketId).textContent()).toMatch(/OpenYouRelease$/);
    expect(await posting(bruno.page, bruno.page.getByRole('button', { name: 'Claim the ticket of Erik Lindqvist' }))).toBe(409);
    expect(await heading(bruno.page)).toBe('Verify Erik Lindqvist');
    expect(await bruno.page.getByRole('alert').textContent()).toBe('Another member of the ops team has claimed this ticket');
    expect(await bruno.page.locator('dl').textContent()).toMatch(/Assignee[^ ]*amara\.ops@platform\.test/);
    expect(await bruno.page.getByRole('button', { name: /Claim|Approve|Reject/ }).count()).toBe(0);
    await bruno.page.goto(`${apiUrl()}/ops/console?firmId=${northwind}`);
    expect(await rowOf(bruno.page, erik.ticketId).textContent()).toMatch(/amara\.ops@platform\.test$/);
    expect(await rowOf(bruno.page, sofia.ticketId).textContent()).toMatch(/UnassignedClaim$/);

    // Amara's own work, across both firms, oldest first.
    await filter(amara.page, { assignee: 'Me' });
    expect(await rowIds(amara.page)).toEqual([ngozi.ticketId, erik.ticketId]);
    const mine = await amara.page.locator('tbody').textContent();
    for (const shown of ['Harbor & Stone Wealth', harbor, 'Northwind Partners', northwind]) expect(mine).toContain(shown);
    await amara.page.goto(`${apiUrl()}/ops/console`);
    await screenshot(amara.page, 'ops-console-queue');

    // Ngozi's ticket: who she is, for which household and firm, who asked; approved with evidence.
    await rowOf(amara.page, ngozi.ticketId).getByRole('link', { name: 'Ngozi Okafor' }).click();
    await amara.page.waitForLoadState('load');
    expect(await heading(amara.page)).toBe('Verify Ngozi Okafor');
    const facts = await amara.page.locator('dl').textContent();
    for (const shown of ['AssigneeYou', ngozi.clientEmail, 'The Okafor Family', ngozi.householdId, 'Harbor & Stone Wealth', harbor, `Inviting advisoradvisor-${harbor}`]) {
      expect(facts).toContain(shown);
    }
    await amara.page.getByLabel('How you verified the client').selectOption({ label: 'Phone call' });
    await amara.page.getByLabel('Reference', { exact: true }).fill('call 2026-118');
    await amara.page.getByLabel('Note').fill('Called the client on the number the advisor gave; confirmed date of birth.');
    await screenshot(amara.page, 'ops-console-ticket');
    expect(await posting(amara.page, amara.page.getByRole('button', { name: 'Approve and send the client a new link' }))).toBe(303);
    expect(await amara.page.getByRole('status').textContent()).toContain('Approved');
    expect(await amara.page.locator('dl').textContent()).toMatch(
      /StatusApproved.*Decided.*by You.*EvidencePhone call \(call 2026-118\)NoteCalled the client/,
    );
    expect(await amara.page.locator('table.history tbody tr').evaluateAll((rows) => rows.map((row) => row.children[1]!.textContent + ' ' + row.children[2]!.textContent))).toEqual([
      `Raised advisor-${harbor}`,
      'Claimed You',
      'Approved You',
    ]);
    expect(await amara.page.getByRole('button', { name: /Approve|Reject|Claim|Release/ }).count()).toBe(0);
    await screenshot(amara.page, 'ops-console-approved');
    await waitForMail(ngozi.clientEmail, 2);
    expect(await ticketStatus(ngozi)).toMatchObject({ status: 'approved', evidence: { method: 'phone', reference: 'call 2026-118' } });

    // Erik's ticket, of the other firm: rejected with a reason and evidence, in the same session.
    await amara.page.goto(`${apiUrl()}/ops/console/tickets/${erik.ticketId}`);
    await amara.page.getByLabel('Reason', { exact: true }).fill('Three calls unanswered; the number on file is not the client\'s.');
    await amara.page.getByLabel('Evidence', { exact: true }).selectOption({ label: 'Phone call' });
    expect(await posting(amara.page, amara.page.getByRole('button', { name: 'Reject' }))).toBe(303);
    expect(await amara.page.getByRole('status').textContent()).toContain('Rejected');
    expect(await ticketStatus(erik)).toMatchObject({ status: 'rejected', evidence: { method: 'phone' } });

    // Bruno sees both decided, by Amara, with nothing left to do on them.
    await bruno.page.goto(`${apiUrl()}/ops/console/tickets/${ngozi.ticketId}`);
    expect(await bruno.page.locator('dl').textContent()).toMatch(/StatusApproved.*by .*amara\.ops@platform\.test.*EvidencePhone call \(call 2026-118\)/);
    expect(await bruno.page.getByRole('button', { name: /Approve|Reject|Claim/ }).count()).toBe(0);
    await bruno.page.goto(`${apiUrl()}/ops/console?firmId=${northwind}`);
    expect(await rowIds(bruno.page)).toEqual([sofia.ticketId]);

    expect([...amara.problems, ...bruno.problems]).toEqual([]);
    await amara.context.close();
    await bruno.context.close();
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
    await signIn(page, '/ops/console', 'ops.csrf.browser@platform.test');
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
