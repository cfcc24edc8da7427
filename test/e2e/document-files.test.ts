// What becomes of clients' files in the local S3 server (s3rver), read with the S3 client itself: a refused or
// infected file is gone, a re-requested item's old file is gone, a file posted with a form its item no longer
// waits for is deleted, a received file the advisor cancels is kept until its retention; and the advisor's notice
// goes out once when the last two required files land and are scanned at the same time.
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultDocumentRetentionDays } from '../../lib/config.ts';
import { eicar } from '../../infra/local/document-store.ts';
import { localCredentials, localRegion } from '../../infra/local/provision.ts';
import { apiUrl, call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';

type Form = { url: string; fields: Record<string, string> };
type Client = Record<string, string>;

let advisor: string;
let householdId: string;
let client: Client;

/** A client household invited, verified and accepted: the session's cookie and the CSRF token of its page. */
const signedInClient = async (token: string, id: string): Promise<Client> => {
  const email = uniqueEmail('files');
  await call('POST', `/households/${id}/invitations`, { token, body: { firstName: 'Fi', lastName: 'Les', email } });
  const link = linkIn((await waitForMail(email, 1))[0]).token;
  expect((await call('POST', `/portal/invitations/${link}/verify`, { body: { accountNumber: '7700-1234-5678' } })).status).toBe(200);
  const accepted = await call('POST', `/portal/invitations/${link}/accept`, { headers: { origin: apiUrl(), 'sec-fetch-site': 'same-origin' } });
  const cookie = /^(__Host-portal_session=[^;]+)/.exec(accepted.headers.getSetCookie()[0] ?? '')![1]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec((await call('GET', '/portal', { headers: { cookie } })).text)![1]!;
  return { cookie, origin: apiUrl(), 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf };
};

const newHousehold = async (token: string, name: string) =>
  (await call('POST', '/households', { token, body: { name, accounts: [{ accountNumber: '7700-1234-5678' }] } })).body.household.householdId as string;
const addItem = async (title: string) =>
  (await call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title }] } })).body.items.at(-1).requestId as string;
const itemOf = async (requestId: string, id = householdId, token = advisor) =>
  (await call('GET', `/households/${id}/document-requests`, { token })).body.items.find((item: { requestId: string }) => item.requestId === requestId);
const inStatus = (requestId: string, status: string, id = householdId, token = advisor) =>
  eventually(async () => {
    const item = await itemOf(requestId, id, token);
    return item.status === status ? item : undefined;
  }, 30_000);
const change = (requestId: string, action: 'cancel' | 're-request') =>
  call('POST', `/households/${householdId}/document-requests/${requestId}/${action}`, { token: advisor, body: {} });
const download = (requestId: string) => call('GET', `/households/${householdId}/document-requests/${requestId}/download`, { token: advisor });

const formFor = async (requestId: string, name = 'a.pdf', headers = client): Promise<Form> => {
  const answer = await call('POST', `/portal/document-requests/${requestId}/upload`, { headers, body: { name, contentType: 'application/pdf' } });
  expect(answer.status).toBe(200);
  return answer.body;
};

/** Posts the form as a browser does: every field, then the file. */
const upload = async (form: Form, content: Uint8Array | string) => {
  const body = new FormData();
  for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
  body.append('file', new Blob([content], { type: 'application/pdf' }), 'upload');
  const answer = await fetch(form.url, { method: 'POST', body });
  expect(answer.ok).toBe(true);
};

/**
 * Whether the bucket holds the form's object, by HeadObject against the local S3 server the form posts to (its URL
 * is the server and the bucket, path style).
 */
const stored = async (form: Form): Promise<boolean> => {
  const url = new URL(form.url);
  const s3 = new S3Client({ endpoint: url.origin, region: localRegion, credentials: localCredentials, forcePathStyle: true });
  try {
    await s3.send(new HeadObjectCommand({ Bucket: url.pathname.replace(/^\/|\/$/g, ''), Key: form.fields.key }));
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFound') return false;
    throw error;
  } finally {
    s3.destroy();
  }
};
const deleted = (form: Form) => eventually(async () => ((await stored(form)) ? undefined : true));

const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';
const dayMs = 86_400_000;

beforeAll(async () => {
  advisor = await tokenFor('advisor', newFirm());
  householdId = await newHousehold(advisor, 'Files');
  client = await signedInClient(advisor, householdId);
}, 60_000);

describe('files the product does not keep', () => {
  it('deletes a file over 25 MB and one whose first bytes are not an accepted type', async () => {
    const [large, text] = [await addItem('Large'), await addItem('Text')];
    const big = new Uint8Array(25 * 1024 * 1024 + 1);
    big.set(Buffer.from(pdf));
    const [largeForm, textForm] = [await formFor(large), await formFor(text)];
    await upload(largeForm, big);
    await upload(textForm, 'just some text');
    await Promise.all([inStatus(large, 'rejected'), inStatus(text, 'rejected')]);
    expect(await stored(largeForm)).toBe(false);
    expect(await stored(textForm)).toBe(false);
  }, 60_000);

  it('deletes the EICAR test file, which ends infected', async () => {
    const requestId = await addItem('Statement');
    const form = await formFor(requestId);
    await upload(form, `%PDF-1.4\n${eicar}\n`);
    await inStatus(requestId, 'infected');
    expect(await stored(form)).toBe(false);
  });

  it("deletes a re-requested item's received file; the new upload is kept under a key of its own", async () => {
    const requestId = await addItem('Payslip');
    const first = await formFor(requestId);
    await upload(first, pdf);
    await inStatus(requestId, 'received');
    expect(await stored(first)).toBe(true);
    const again = await change(requestId, 're-request');
    expect(again.status).toBe(200);
    expect(again.body.item.file).toBeUndefined();
    expect(await stored(first)).toBe(false);
    const second = await formFor(requestId);
    expect(second.fields.key).not.toBe(first.fields.key);
    await upload(second, pdf);
    await inStatus(requestId, 'received');
    expect(await stored(second)).toBe(true);
  }, 30_000);

  it('deletes a file posted with a form its item no longer waits for: re-requested or cancelled meanwhile', async () => {
    const reRequested = await addItem('Late after re-request');
    await upload(await formFor(reRequested), 'refused first');
    await inStatus(reRequested, 'rejected');
    // A form taken after the refusal, whose item the advisor asks for again before the file is posted.
    const late = await formFor(reRequested);
    expect((await change(reRequested, 're-request')).status).toBe(200);
    await upload(late, pdf);
    const cancelled = await addItem('Late after cancel');
    const orphan = await formFor(cancelled);
    expect((await change(cancelled, 'cancel')).status).toBe(200);
    await upload(orphan, pdf);

    expect(await deleted(late)).toBe(true);
    expect(await deleted(orphan)).toBe(true);
    expect(await itemOf(reRequested)).toMatchObject({ status: 'requested' });
    expect((await itemOf(reRequested)).file).toBeUndefined();
    expect(await itemOf(cancelled)).toMatchObject({ status: 'cancelled' });
  }, 30_000);
});

describe('a received file', () => {
  it('says until when it is kept: its receipt plus the retention days', async () => {
    const requestId = await addItem('Retained');
    await upload(await formFor(requestId), pdf);
    const { file } = await inStatus(requestId, 'received');
    expect(Date.parse(file.retainUntil) - Date.parse(file.receivedAt)).toBe(defaultDocumentRetentionDays * dayMs);
  });

  it('stays, downloadable, when the advisor cancels its item: the firm keeps what it was given', async () => {
    const requestId = await addItem('Kept');
    const form = await formFor(requestId);
    await upload(form, pdf);
    await inStatus(requestId, 'received');
    const cancelled = await change(requestId, 'cancel');
    expect(cancelled.body.item).toMatchObject({ status: 'cancelled', file: { name: 'a.pdf', retainUntil: expect.any(String) } });
    expect(await stored(form)).toBe(true);
    const link = await download(requestId);
    expect(link.status).toBe(200);
    expect(await (await fetch(link.body.url)).text()).toBe(pdf);
  });
});

describe("the advisor's notice", () => {
  it('is emailed once when the last two required files land and are scanned at the same time', async () => {
    const advisorEmail = uniqueEmail('notice-advisor');
    const token = await tokenFor('advisor', newFirm(), { email: advisorEmail });
    // Three households at once: more chances for the two scans of each to be handled together.
    const households = await Promise.all(
      ['Race one', 'Race two', 'Race three'].map(async (name) => {
        const id = await newHousehold(token, name);
        const them = await signedInClient(token, id);
        const added = await call('POST', `/households/${id}/document-requests`, { token, body: { items: [{ title: 'Passport' }, { title: 'Payslip' }] } });
        const forms = await Promise.all(
          (added.body.items as { requestId: string }[]).map(async ({ requestId }) => ({ requestId, form: await formFor(requestId, 'a.pdf', them) })),
        );
        return { id, name, forms };
      }),
    );
    await Promise.all(households.flatMap(({ forms }) => forms.map(({ form }) => upload(form, pdf))));
    await Promise.all(households.flatMap(({ id, forms }) => forms.map(({ requestId }) => inStatus(requestId, 'received', id, token))));

    // The advisor is also told of each acceptance; only the documents' notices count here.
    const notices = async () => (await mailTo(advisorEmail)).filter((mail) => mail.subject.startsWith('Documents received'));
    await eventually(async () => ((await notices()).length >= households.length ? true : undefined));
    // A second notice would come from a second handler's send: it has had its time once the mailbox stays as it is.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect((await notices()).map((mail) => mail.subject).sort()).toEqual(households.map(({ name }) => `Documents received: ${name}`).sort());
  }, 90_000);
});
