// A signed-in client uploads their documents through S3 presigned POST forms on the local stack (s3rver), and the
// bucket's own events decide: a PDF is scanned and received, the EICAR test file is infected, a file over 25 MB or
// of a refused type is rejected and deleted, whatever the form and the browser said.
import { beforeAll, describe, expect, it } from 'vitest';
import { eicar } from '../../infra/local/document-store.ts';
import { apiUrl, call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';

let advisor: string;
let householdId: string;
let client: Record<string, string>;

/** What the portal's own page sends with its calls. */
const fromPortal = (cookie: string, csrf: string) => ({ cookie, origin: apiUrl(), 'sec-fetch-site': 'same-origin', 'x-csrf-token': csrf });

/** A client household invited, verified and accepted: the session's cookie and the CSRF token of its page. */
const signedInClient = async (token: string, id: string) => {
  const email = uniqueEmail('uploader');
  await call('POST', `/households/${id}/invitations`, { token, body: { firstName: 'Up', lastName: 'Loader', email } });
  const link = linkIn((await waitForMail(email, 1))[0]).token;
  expect((await call('POST', `/portal/invitations/${link}/verify`, { body: { accountNumber: '7700-1234-5678' } })).status).toBe(200);
  const accepted = await call('POST', `/portal/invitations/${link}/accept`, { headers: { origin: apiUrl(), 'sec-fetch-site': 'same-origin' } });
  const cookie = /^(__Host-portal_session=[^;]+)/.exec(accepted.headers.getSetCookie()[0] ?? '')![1]!;
  const page = await call('GET', '/portal', { headers: { cookie } });
  return fromPortal(cookie, /name="csrf" value="([^"]+)"/.exec(page.text)![1]!);
};

const addItem = async (title: string) => {
  const added = await call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title }] } });
  return added.body.items.at(-1).requestId as string;
};
const itemOf = async (requestId: string) =>
  (await call('GET', `/households/${householdId}/document-requests`, { token: advisor })).body.items.find((item: { requestId: string }) => item.requestId === requestId);
const settled = (requestId: string) =>
  eventually(async () => {
    const item = await itemOf(requestId);
    return item.status === 'requested' || item.status === 'scanning' ? undefined : item;
  });

const download = (requestId: string, token = advisor) =>
  call('GET', `/households/${householdId}/document-requests/${requestId}/download`, { token });

const formFor = (requestId: string, name: string, contentType = 'application/pdf', headers = client) =>
  call('POST', `/portal/document-requests/${requestId}/upload`, { headers, body: { name, contentType } });

/** Posts the form as a browser does: every field, then the file. */
const upload = async (form: { url: string; fields: Record<string, string> }, content: Uint8Array | string, type = 'application/pdf') => {
  const body = new FormData();
  for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
  body.append('file', new Blob([content], { type }), 'upload');
  return fetch(form.url, { method: 'POST', body });
};

const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';

beforeAll(async () => {
  advisor = await tokenFor('advisor', newFirm());
  householdId = (await call('POST', '/households', { token: advisor, body: { name: 'Uploads', accounts: [{ accountNumber: '7700-1234-5678' }] } })).body
    .household.householdId;
  client = await signedInClient(advisor, householdId);
}, 60_000);

describe('uploading a document', () => {
  it('gives the signed-in client a form for a server-chosen key; the PDF is scanned and received with its real size and type', async () => {
    const requestId = await addItem('Passport');
    const form = await formFor(requestId, 'passport.pdf');
    expect(form.status).toBe(200);
    expect(form.body.fields.key).toMatch(new RegExp(`^households/[^/]+/${householdId}/${requestId}/[0-9a-f-]{36}$`));
    expect(form.body.fields['Content-Type']).toBe('application/pdf');
    expect(JSON.parse(Buffer.from(form.body.fields.Policy, 'base64').toString()).conditions).toContainEqual(['content-length-range', 1, 25 * 1024 * 1024]);
    expect((await upload(form.body, pdf)).ok).toBe(true);
    const item = await settled(requestId);
    expect(item).toMatchObject({ status: 'received', file: { name: 'passport.pdf', size: pdf.length, contentType: 'application/pdf' } });

    const link = await download(requestId);
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const file = await fetch(link.body.url);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe(pdf);
    expect(file.headers.get('content-disposition')).toContain('passport.pdf');
    const other = await tokenFor('advisor', newFirm());
    expect((await download(requestId, other)).status).toBe(404);
  });

  it('marks the EICAR test file infected', async () => {
    const requestId = await addItem('Statement');
    const form = await formFor(requestId, 'statement.pdf');
    await upload(form.body, `%PDF-1.4\n${eicar}\n`);
    expect(await settled(requestId)).toMatchObject({ status: 'infected', reason: expect.any(String) });
    expect((await download(requestId)).status).toBe(409);
  });

  it('rejects, saying why, a file over 25 MB and one whose bytes are not an accepted type, whatever its form said', async () => {
    const large = await addItem('Large');
    const largeForm = await formFor(large, 'large.pdf');
    const big = new Uint8Array(25 * 1024 * 1024 + 1);
    big.set(Buffer.from(pdf));
    await upload(largeForm.body, big);
    const text = await addItem('Text');
    await upload((await formFor(text, 'notes.pdf')).body, 'just some text');
    expect(await settled(large)).toMatchObject({ status: 'rejected', reason: 'The file is larger than 25 MB' });
    expect((await download(large)).status).toBe(409);
    expect(await settled(text)).toMatchObject({ status: 'rejected', reason: 'The file is not a PDF, JPEG, PNG or HEIC file' });
    // A rejected item takes a new upload.
    await upload((await formFor(text, 'notes.pdf')).body, pdf);
    expect(await eventually(async () => ((await itemOf(text)).status === 'received' ? true : undefined))).toBe(true);
  }, 30_000);

  it('refuses a form for a refused type, without a session, from another origin, and for an item not waiting for a file', async () => {
    const requestId = await addItem('Photo');
    expect((await formFor(requestId, 'photo.gif', 'image/gif')).status).toBe(400);
    expect((await formFor(requestId, 'photo.jpg', 'image/jpeg', { ...client, cookie: '' })).status).toBe(401);
    expect((await formFor(requestId, 'photo.jpg', 'image/jpeg', { ...client, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await formFor(requestId, 'photo.jpg', 'image/jpeg', { ...client, 'x-csrf-token': 'wrong' })).status).toBe(403);
    await call('POST', `/households/${householdId}/document-requests/${requestId}/cancel`, { token: advisor, body: {} });
    expect((await formFor(requestId, 'photo.jpg', 'image/jpeg')).status).toBe(409);
  });

  it("answers 404 for another household's item", async () => {
    const other = await tokenFor('advisor', newFirm());
    const otherId = (await call('POST', '/households', { token: other, body: { name: 'Other' } })).body.household.householdId;
    const theirs = (await call('POST', `/households/${otherId}/document-requests`, { token: other, body: { items: [{ title: 'Theirs' }] } })).body.items[0].requestId;
    expect((await formFor(theirs, 'a.pdf')).status).toBe(404);
  });
});

describe("the advisor's notice", () => {
  it('emails the requesting advisor once, when every required document is received, not before', async () => {
    const advisorEmail = uniqueEmail('docs-advisor');
    const token = await tokenFor('advisor', newFirm(), { email: advisorEmail });
    const id = (await call('POST', '/households', { token, body: { name: 'Complete', accounts: [{ accountNumber: '7700-1234-5678' }] } })).body.household.householdId;
    const them = await signedInClient(token, id);
    const items = (
      await call('POST', `/households/${id}/document-requests`, {
        token,
        body: { items: [{ title: 'Passport' }, { title: 'Payslip' }, { title: 'Optional photo', required: false }] },
      })
    ).body.items as { requestId: string }[];
    const statusOf = async (requestId: string) =>
      (await call('GET', `/households/${id}/document-requests`, { token })).body.items.find((item: { requestId: string }) => item.requestId === requestId).status;
    const uploadTo = async (requestId: string) => {
      const form = await call('POST', `/portal/document-requests/${requestId}/upload`, { headers: them, body: { name: 'a.pdf', contentType: 'application/pdf' } });
      await upload(form.body, pdf);
      await eventually(async () => ((await statusOf(requestId)) === 'received' ? true : undefined));
    };
    // The advisor is also told of the acceptance; only the documents' notices count here.
    const notices = async (wait: number) => {
      await new Promise((resolve) => setTimeout(resolve, wait));
      return (await mailTo(advisorEmail)).filter((mail) => mail.subject.startsWith('Documents received'));
    };
    await uploadTo(items[0]!.requestId);
    expect(await notices(1_500)).toHaveLength(0);
    await uploadTo(items[1]!.requestId);
    const [notice] = await eventually(async () => ((await notices(0)).length > 0 ? notices(0) : undefined));
    expect(notice!.subject).toBe('Documents received: Complete');
    // The optional item later changes nothing.
    await uploadTo(items[2]!.requestId);
    expect(await notices(2_000)).toHaveLength(1);
  }, 60_000);
});

describe("the household's trail", () => {
  /** The household's events of one item, page by page: action, actor's role, before and after, and what was found. */
  const trailOf = async (requestId: string) => {
    const events: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call('GET', `/households/${householdId}/events${query}`, { token: advisor });
      expect(page.status).toBe(200);
      events.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return events.filter((event) => event.documentRequestId === requestId);
  };
  const steps = (events: Record<string, unknown>[]) =>
    events.map(({ action, actor, from, to, size, contentType, reason }) => ({ action, role: (actor as { role: string }).role, from, to, size, contentType, reason }));
  const step = (action: string, role: string, from: string | null, to: string, found: Record<string, unknown> = {}) =>
    ({ action, role, from, to, size: undefined, contentType: undefined, reason: undefined, ...found });

  it('records each request, upload, scan, refusal and download with who did it and its request, and never the file name', async () => {
    const received = await addItem('Trail passport');
    await upload((await formFor(received, 'Jane Doe passport.pdf')).body, pdf);
    await settled(received);
    expect((await download(received)).status).toBe(200);
    const infected = await addItem('Trail statement');
    await upload((await formFor(infected, 'statement.pdf')).body, `%PDF-1.4\n${eicar}\n`);
    const refused = await addItem('Trail notes');
    await upload((await formFor(refused, 'notes.pdf')).body, 'just some text');
    await Promise.all([settled(infected), settled(refused)]);
    await call('POST', `/households/${householdId}/document-requests/${refused}/cancel`, { token: advisor, body: {} });
    await call('POST', `/households/${householdId}/document-requests/${refused}/re-request`, { token: advisor, body: {} });

    const passportTrail = await trailOf(received);
    expect(steps(passportTrail)).toEqual([
      step('document.requested', 'advisor', null, 'requested'),
      step('document.uploaded', 'system', 'requested', 'scanning', { size: pdf.length, contentType: 'application/pdf' }),
      step('document.received', 'system', 'scanning', 'received'),
      step('document.downloaded', 'advisor', 'received', 'received'),
    ]);
    expect(steps(await trailOf(infected)).slice(-1)).toEqual([
      step('document.infected', 'system', 'scanning', 'infected', { reason: 'The malware scan found a threat' }),
    ]);
    expect(steps(await trailOf(refused))).toEqual([
      step('document.requested', 'advisor', null, 'requested'),
      step('document.rejected', 'system', 'requested', 'rejected', { size: 'just some text'.length, reason: 'The file is not a PDF, JPEG, PNG or HEIC file' }),
      step('document.cancelled', 'advisor', 'rejected', 'cancelled'),
      step('document.re_requested', 'advisor', 'cancelled', 'requested'),
    ]);
    // Each event names its request: API Gateway's for the advisor's, the queue message's for the service's.
    expect(passportTrail.every((event) => typeof event.requestId === 'string' && event.requestId !== '')).toBe(true);
    expect(JSON.stringify(passportTrail)).not.toContain('Jane Doe');
  }, 60_000);
});
