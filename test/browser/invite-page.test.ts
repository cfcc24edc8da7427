import type { Page, Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { recordProblems, useChromium } from '../support/chromium.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

// The two onboarding stories through the real page in Chromium: no script, forms only, strict CSP.
const browser = useChromium();

/** A fresh tab that records console errors, page errors and CSP violations. */
const openTab = async () => {
  const context = await browser().newContext();
  const page = await context.newPage();
  // Chromium logs every 4xx document as a failed resource; those statuses are the page's contract, not faults.
  const problems = recordProblems(page, (text) => /^Failed to load resource: the server responded with a status of (404|409|422|423)\b/.test(text));
  return { page, problems, close: () => context.close() };
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

const expectPageHeaders = (response: Response | null) => {
  const headers = response?.headers() ?? {};
  expect(headers['content-type']).toBe('text/html; charset=utf-8');
  expect(headers['cache-control']).toBe('no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['content-security-policy']).toMatch(
    /^default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; style-src 'sha256-[^']+'$/,
  );
  expect(headers['x-frame-options']).toBe('DENY');
};

/** Submits a form by clicking `button` and returns the answer to the post itself (before any redirect). */
const submit = async (page: Page, button: string) => {
  const [posted] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState('load');
  return posted;
};

describe('the invite page in a browser', () => {
  it('walks a client household from the verify form, past a wrong number, to portal access', async () => {
    const advisor = await tokenFor('advisor', newFirm(), { firmName: 'Lindqvist & Partners' });
    const household = await call('POST', '/households', {
      token: advisor,
      body: { name: 'The Lindqvist Household', accounts: [{ accountNumber: '4400-1234-5678', custodian: 'Pershing' }] },
    });
    const email = uniqueEmail('erik');
    await call('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Erik', lastName: 'Lindqvist', email },
    });
    const link = linkIn((await waitForMail(email))[0]);
    const { page, problems, close } = await openTab();

    const opened = await page.goto(link.url);
    expect(opened?.status()).toBe(200);
    expectPageHeaders(opened);
    expect(await heading(page)).toBe('Confirm it’s you');
    expect(await page.title()).toContain('Confirm it’s you');
    await expect(page.getByText('Hello Erik,').isVisible()).resolves.toBe(true);
    await expect(page.getByText('Lindqvist & Partners has invited you').isVisible()).resolves.toBe(true);

    const field = page.getByLabel('Account number');
    expect(await field.getAttribute('autocomplete')).toBe('off');
    expect(await field.getAttribute('inputmode')).toBe('numeric');
    await field.fill('9999 0000 1111');
    const wrong = await submit(page, 'Confirm');
    expect(wrong.status()).toBe(422);
    expectPageHeaders(wrong);
    expect(await page.getByRole('alert').textContent()).toBe('That account number doesn’t match our records. You have 4 tries left.');
    // The refused number is not echoed back into the page.
    expect(await page.getByLabel('Account number').inputValue()).toBe('');

    await page.getByLabel('Account number').fill('4400-1234-5678');
    const right = await submit(page, 'Confirm');
    expect(right.status()).toBe(303);
    expect(page.url()).toBe(link.url);
    expect(await heading(page)).toBe('You’re verified');

    const accepted = await submit(page, 'Accept invitation');
    expect(accepted.status()).toBe(303);
    expect(await heading(page)).toBe('Your portal access is active');

    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(200);
    expect(await heading(page)).toBe('Your portal access is active');
    expect(await page.getByRole('button').count()).toBe(0);
    expect(await page.locator('form').count()).toBe(0);
    expect((await call('GET', `/portal/invitations/${link.token}`)).body.invitation.status).toBe('accepted');

    expect(problems).toEqual([]);
    await close();
  });

  it('walks a prospect from "being verified", through the ops approval, to portal access; the old link dies', async () => {
    const firm = newFirm();
    const advisor = await tokenFor('advisor', firm, { firmName: 'Northwind Wealth' });
    const ops = await tokenFor('ops', firm, { sub: 'ops-alice' });
    const household = await call('POST', '/households', { token: advisor, body: { name: 'The Okafor Family' } });
    const email = uniqueEmail('ngozi');
    const invited = await call('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Ngozi', lastName: 'Okafor', email },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;
    const firstLink = linkIn((await waitForMail(email))[0]);
    const { page, problems, close } = await openTab();

    const waiting = await page.goto(firstLink.url);
    expect(waiting?.status()).toBe(200);
    expectPageHeaders(waiting);
    expect(await heading(page)).toBe('We’re verifying your identity');
    await expect(page.getByText('We’ll send you an email').isVisible()).resolves.toBe(true);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('button').count()).toBe(0);

    // Ops pick the ticket up from their work list and approve it; the client gets a fresh link.
    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    const approval = { note: 'called the client', evidence: { method: 'phone' } };
    expect((await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: approval })).status).toBe(200);
    const freshLink = linkIn((await waitForMail(email, 2))[1]);

    const ready = await page.goto(freshLink.url);
    expect(ready?.status()).toBe(200);
    expect(await heading(page)).toBe('You’re verified');
    await expect(page.getByText('Northwind Wealth').first().isVisible()).resolves.toBe(true);
    const accepted = await submit(page, 'Accept invitation');
    expect(accepted.status()).toBe(303);
    expect(await heading(page)).toBe('Your portal access is active');

    const old = await page.goto(firstLink.url);
    expect(old?.status()).toBe(404);
    expectPageHeaders(old);
    expect(await heading(page)).toBe('This link is no longer valid');
    await expect(page.getByText('Ngozi').count()).resolves.toBe(0);

    expect(problems).toEqual([]);
    await close();
  });
});
