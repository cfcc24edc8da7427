// The portal's documents in Chromium (issue #15 items 3, 6): an advisor sets a checklist, the client signs in on the
// invite page and uploads on the portal page (its one script asks for a presigned POST and posts to the local S3
// server), and the bucket's events decide each item: a PDF is received and the advisor downloads the same bytes; the
// EICAR test string behind a PDF header is infected and cannot be downloaded; a text file named .pdf and a file over
// 25 MB are rejected, saying why, and a text/plain file is refused before anything is uploaded.
// SCREENSHOTS_DIR=docs/screenshots saves the settled checklist.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eicar } from '../../infra/local/document-store.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { recordProblems, useChromium } from '../support/chromium.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

const browser = useChromium();

const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';

/** Clicks `button` and waits for the page its post leads to. */
const submit = async (page: Page, button: string) => {
  await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
  await page.waitForLoadState('load');
};

/** The item's <li>, found by its title. */
const itemOf = (page: Page, title: string) => page.locator('li', { has: page.getByRole('heading', { level: 3, name: title, exact: true }) });

/** Picks the file and uploads it; the page reloads once S3 took it. */
const uploadOn = async (page: Page, title: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
  await page.getByLabel(`File for ${title}`).setInputFiles(file);
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), page.getByRole('button', { name: `Upload ${title}` }).click()]);
};

/** Reloads the portal until the item has left `requested` and `scanning`: the bucket's events decided. */
const settledOn = (page: Page, title: string) =>
  eventually(async () => {
    await page.reload();
    const status = await itemOf(page, title).getAttribute('data-status');
    return status === 'requested' || status === 'scanning' ? undefined : status;
  }, 30_000);

describe('documents on the client portal in a browser', () => {
  it('shows the checklist, uploads on the page and lets the bucket decide; the advisor downloads the clean file', async () => {
    const advisor = await tokenFor('advisor', newFirm(), { firmName: 'Harbour Wealth' });
    const household = (await call('POST', '/households', { token: advisor, body: { name: 'The Okafor Household', accounts: [{ accountNumber: '5500-6600-7700' }] } })).body
      .household.householdId as string;
    const email = uniqueEmail('ngozi');
    await call('POST', `/households/${household}/invitations`, { token: advisor, body: { firstName: 'Ngozi', lastName: 'Okafor', email } });
    const titles = ['Passport', 'Bank statement', 'Scanned letter', 'Tax return', 'Notes'];
    const added = await call('POST', `/households/${household}/document-requests`, {
      token: advisor,
      body: { items: titles.map((title) => ({ title, ...(title === 'Passport' ? { description: 'The photo page, in colour.' } : {}), required: title !== 'Notes' })) },
    });
    expect(added.status).toBe(200);
    const requestIds = Object.fromEntries((added.body.items as { title: string; requestId: string }[]).map((item) => [item.title, item.requestId]));

    const context = await browser().newContext();
    const page = await context.newPage();
    // The refused type's JSON answer (400) is the one failed load the page is expected to log.
    const problems = recordProblems(page, (text) => text.includes('status of 400'));
    await page.goto(linkIn((await waitForMail(email))[0]).url);
    await page.getByLabel('Account number').fill('5500 6600 7700');
    await submit(page, 'Confirm');
    await submit(page, 'Accept invitation');
    await page.getByRole('link', { name: 'Go to your client portal' }).click();
    await page.waitForLoadState('load');

    expect(new URL(page.url()).pathname).toBe('/portal');
    for (const title of titles) expect(await itemOf(page, title).getAttribute('data-status')).toBe('requested');
    await expect(itemOf(page, 'Passport').getByText('The photo page, in colour.').isVisible()).resolves.toBe(true);
    await expect(itemOf(page, 'Passport').getByText('Required', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(itemOf(page, 'Notes').getByText('Optional', { exact: true }).isVisible()).resolves.toBe(true);
    await expect(itemOf(page, 'Passport').getByText('Requested: waiting for your file.').isVisible()).resolves.toBe(true);

    await uploadOn(page, 'Passport', { name: 'passport.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    expect(await settledOn(page, 'Passport')).toBe('received');
    await expect(itemOf(page, 'Passport').getByText('Received: passport.pdf. Thank you.').isVisible()).resolves.toBe(true);
    await expect(itemOf(page, 'Passport').getByRole('button').count()).resolves.toBe(0);
    const link = await call('GET', `/households/${household}/document-requests/${requestIds.Passport}/download`, { token: advisor });
    expect(link.status).toBe(200);
    expect(await (await fetch(link.body.url)).text()).toBe(pdf);

    // The EICAR string alone is not a PDF by its bytes; behind a PDF header it reaches the scanner.
    await uploadOn(page, 'Bank statement', { name: 'statement.pdf', mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.4\n${eicar}\n`) });
    await uploadOn(page, 'Scanned letter', { name: 'letter.pdf', mimeType: 'application/pdf', buffer: Buffer.from(eicar) });
    expect(await settledOn(page, 'Bank statement')).toBe('infected');
    await expect(itemOf(page, 'Bank statement').getByText(/^Infected: the malware scan flagged your file/).isVisible()).resolves.toBe(true);
    expect((await call('GET', `/households/${household}/document-requests/${requestIds['Bank statement']}/download`, { token: advisor })).status).toBe(409);
    expect(await settledOn(page, 'Scanned letter')).toBe('rejected');
    await expect(itemOf(page, 'Scanned letter').getByText('Rejected: The file is not a PDF, JPEG, PNG or HEIC file. Please upload it again.').isVisible()).resolves.toBe(true);

    const big = Buffer.alloc(26 * 1024 * 1024);
    big.write(pdf);
    await uploadOn(page, 'Tax return', { name: 'tax-return.pdf', mimeType: 'application/pdf', buffer: big });
    expect(await settledOn(page, 'Tax return')).toBe('rejected');
    await expect(itemOf(page, 'Tax return').getByText('Rejected: The file is larger than 25 MB. Please upload it again.').isVisible()).resolves.toBe(true);
    // A rejected item takes a new upload on the page.
    await expect(itemOf(page, 'Tax return').getByRole('button', { name: 'Upload Tax return' }).isVisible()).resolves.toBe(true);

    // A refused type gets no form: the page says so and nothing is uploaded.
    await page.getByLabel('File for Notes').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some text') });
    await page.getByRole('button', { name: 'Upload Notes' }).click();
    // Past the page's own 'Uploading…': the answer the refusal ends with.
    const said = await eventually(async () => {
      const text = await itemOf(page, 'Notes').getByRole('status').textContent();
      return text && text !== 'Uploading…' ? text : undefined;
    });
    expect(said).toBe('This file is not accepted: choose a PDF, JPEG, PNG or HEIC file.');
    await page.reload();
    expect(await itemOf(page, 'Notes').getAttribute('data-status')).toBe('requested');

    const dir = process.env.SCREENSHOTS_DIR;
    if (dir) await page.screenshot({ path: join(dir, 'portal-checklist.png'), fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
});
