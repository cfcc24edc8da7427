// The client portal's sign-in in Chromium (issue #15 item 1): a client accepts on the invite page and lands on the
// portal, signs out, asks for a link, follows it from the local SES store and is signed in again. No script, forms only.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { recordProblems, useChromium } from '../support/chromium.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

const browser = useChromium();

const heading = (page: Page, level = 1) => page.getByRole('heading', { level }).first().textContent();

/** Clicks `button` and returns the answer to the post itself (before any redirect). */
const submit = async (page: Page, button: string) => {
  const [posted] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  await page.waitForLoadState('load');
  return posted;
};

const signInLinkIn = (text: string | undefined) => /https?:\/\/[^\s"<]+\/portal\/sign-in\/[A-Za-z0-9_-]{43}/.exec(text ?? '')?.[0];

describe('the client portal in a browser', () => {
  it('signs a client in as they accept, out again, and back in with an emailed link', async () => {
    const advisor = await tokenFor('advisor', newFirm(), { firmName: 'Brightwater Advisors' });
    const household = await call('POST', '/households', {
      token: advisor,
      body: { name: 'The Adeyemi Household', accounts: [{ accountNumber: '3300-2200-1100' }] },
    });
    const email = uniqueEmail('tolu');
    await call('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Tolu', lastName: 'Adeyemi', email },
    });
    const invite = linkIn((await waitForMail(email))[0]);
    const context = await browser().newContext();
    const page = await context.newPage();
    const problems = recordProblems(page);

    await page.goto(invite.url);
    await page.getByLabel('Account number').fill('3300 2200 1100');
    expect((await submit(page, 'Confirm')).status()).toBe(303);
    const accepted = await submit(page, 'Accept invitation');
    expect(accepted.status()).toBe(303);
    expect(await heading(page)).toBe('Your portal access is active');

    const [session] = await context.cookies();
    expect(session).toMatchObject({ name: '__Host-portal_session', path: '/', httpOnly: true, secure: true, sameSite: 'Lax' });

    await page.getByRole('link', { name: 'Go to your client portal' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/portal');
    expect(await heading(page)).toBe('Your client portal');
    expect(await heading(page, 2)).toBe('The Adeyemi Household');
    await expect(page.getByText('Documents your advisor asks for will appear here.').isVisible()).resolves.toBe(true);

    const signedOut = await submit(page, 'Sign out');
    expect(signedOut.status()).toBe(303);
    expect(await heading(page)).toBe('Sign in to your client portal');
    expect(await context.cookies()).toEqual([]);
    await expect(page.getByText('The Adeyemi Household').count()).resolves.toBe(0);

    await page.getByLabel('Email address').fill(email);
    const asked = await submit(page, 'Email me a sign-in link');
    expect(asked.status()).toBe(202);
    expect(await heading(page)).toBe('Check your email');

    const link = signInLinkIn((await waitForMail(email, 2))[1]?.body.text);
    expect(link).toBeDefined();
    const opened = await page.goto(link!);
    expect(opened?.status()).toBe(200);
    expect(await heading(page)).toBe('Sign in to your client portal');
    const used = await submit(page, 'Sign in');
    expect(used.status()).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/portal');
    expect(await heading(page, 2)).toBe('The Adeyemi Household');
    await expect(page.getByText('Brightwater Advisors').first().isVisible()).resolves.toBe(true);

    expect(problems).toEqual([]);
    await context.close();
  });
});
