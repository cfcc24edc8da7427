// Issue #10 "hostile cases", continued from bursts.test.ts for the routes added since: the batch invitations, the
// client portal's sign-in, sign-out and uploads, and the document checklist. Each burst is 20 requests at once;
// afterwards no 5xx, one effect where the route promises one, and nothing duplicated. Its coverage check counts
// the route('...') calls of both files.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiUrl, call, newFirm, tokenFor, type Answer, type CallOptions } from '../support/api.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { answerProblem } from './system.ts';

const size = 20;
const accountNumber = '55554444';
const firm = newFirm();
const advisor = await tokenFor('advisor', firm, { sub: 'advisor-burst-new', email: 'advisor.burst.new@firm.test', firmName: 'Burst Wealth' });

/** Marks the route a burst covers; bursts.test.ts's coverage check reads these calls in both files. */
const route = (path: string) => path;

/** `size` copies of one JSON request at once; every answer is the route's success or the error envelope, never a 5xx. */
const burst = async (method: string, path: string, options: () => CallOptions): Promise<Answer[]> => {
  const answers = await Promise.all(Array.from({ length: size }, () => call(method, path, options())));
  for (const answer of answers) expect(answerProblem(`${method} ${path}`, answer)).toBeUndefined();
  return answers;
};

/** A browser's form post, redirects not followed: a 303 and its cookies are the answer. Its pages are HTML, so only 5xx is checked. */
const formPost = async (path: string, headers: Record<string, string>, body = ''): Promise<Answer> => {
  const response = await fetch(`${apiUrl()}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  const answer = { status: response.status, headers: response.headers, body: undefined, text: await response.text() };
  expect(answer.status, `POST ${path}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  return answer;
};

const statuses = (answers: Answer[]) => [...new Set(answers.map((a) => a.status))].sort();
const samePage = () => ({ origin: apiUrl(), 'sec-fetch-site': 'same-origin' });
const sessionCookieOf = (answer: Answer) => /^(__Host-portal_session=[A-Za-z0-9_-]{43});/.exec(answer.headers.getSetCookie()[0] ?? '')?.[1];
const portalAs = (cookie: string) => call('GET', '/portal', { headers: { cookie } });
const signedIn = (page: Answer) => page.status === 200 && page.text.includes('Sign out');
const linkTokenIn = (text: string | undefined) => /\/portal\/sign-in\/([A-Za-z0-9_-]{43})/.exec(text ?? '')?.[1];

const newHousehold = async () =>
  (await call('POST', '/households', { token: advisor, body: { name: 'Burst Portal', accounts: [{ accountNumber }] } })).body.household.householdId as string;

/** A client invited, verified and accepted from the portal's origin: signed in, with the session's cookie. */
const acceptedClient = async (householdId?: string) => {
  const id = householdId ?? (await newHousehold());
  const email = uniqueEmail('burst-portal');
  expect((await call('POST', `/households/${id}/invitations`, { token: advisor, body: { firstName: 'Po', lastName: 'Rtal', email } })).status).toBe(201);
  const link = linkIn((await waitForMail(email))[0]).token;
  expect((await call('POST', `/portal/invitations/${link}/verify`, { body: { accountNumber } })).status).toBe(200);
  const cookie = sessionCookieOf(await call('POST', `/portal/invitations/${link}/accept`, { headers: samePage() }))!;
  expect(cookie).toBeDefined();
  return { householdId: id, email, cookie };
};
const csrfOf = async (cookie: string) => /name="csrf" value="([^"]+)"/.exec((await portalAs(cookie)).text)![1]!;

/** Every invitation of the household, by email: a duplicate shows as a repeated email. */
const invitedEmailsOf = async (householdId: string) =>
  ((await call('GET', `/households/${householdId}/invitations?limit=100`, { token: advisor })).body.items as { email: string }[]).map((i) => i.email).sort();

const checklist = async (householdId: string) =>
  (await call('GET', `/households/${householdId}/document-requests`, { token: advisor })).body.items as { requestId: string; title: string; status: string; file?: { name: string } }[];

describe('a concurrent burst on each new POST route', () => {
  it('POST /invitations/batch: 20 with one key make one set of invitations; 20 with their own keys invite each email once', async () => {
    const path = route('/invitations/batch');
    const householdId = await newHousehold();
    const items = (emails: string[]) => emails.map((email) => ({ householdId, firstName: 'Ba', lastName: 'Tch', email }));
    const once = [uniqueEmail('batch-once-a'), uniqueEmail('batch-once-b')];
    const key = randomUUID();
    const keyed = await burst('POST', path, () => ({ token: advisor, body: { items: items(once) }, headers: { 'idempotency-key': key } }));
    // A retry while the first still runs waits for its answer, then is 409; every answer given is the first one.
    expect(statuses(keyed).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const answered = keyed.filter((a) => a.status === 200).map((a) => a.body);
    expect(answered.length, keyed.map((a) => `${a.status} ${a.text.slice(0, 200)}`).join('\n')).toBeGreaterThan(0);
    // A replay is the stored first answer: equal, though its fields may come back in another order.
    for (const body of answered) expect(body).toEqual(answered[0]);
    expect(answered[0].results.map((r: { status: number }) => r.status)).toEqual([201, 201]);

    const contested = [uniqueEmail('batch-race-a'), uniqueEmail('batch-race-b')];
    const racing = await burst('POST', path, () => ({ token: advisor, body: { items: items(contested) }, headers: { 'idempotency-key': randomUUID() } }));
    // A whole-batch 409 ("still in progress, retry shortly") ran nothing; the batches that ran invite each email once.
    const ran = racing.filter((a) => a.status === 200);
    expect(statuses(racing).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(ran.length, racing.map((a) => `${a.status} ${a.text.slice(0, 200)}`).join('\n')).toBeGreaterThan(0);
    for (const index of [0, 1]) {
      const results = ran.map((a) => a.body.results[index] as { status: number; error?: { code: string } });
      expect(results.filter((r) => r.status === 201), contested[index]).toHaveLength(1);
      expect(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.error?.code}`)).toEqual(Array(ran.length - 1).fill('409 conflict'));
    }

    expect(await invitedEmailsOf(householdId)).toEqual([...once, ...contested].sort());
    // Waiting (bounded) for a second email to each lets a duplicate send show.
    const mailed = await Promise.all([...once, ...contested].map(async (email) => (await waitForMail(email, 2, undefined, 1_500)).length));
    expect(mailed).toEqual(Array(4).fill(1));
    // 40 batches, each paced at SES's rate: a loaded machine needs more than the default 30 s.
  }, 60_000);

  it('POST /portal/sign-in: 20 asks for one email all answer 202 alike, and at most the per-email limit of links is sent', async () => {
    const path = route('/portal/sign-in');
    const { email } = await acceptedClient();
    const answers = await burst('POST', path, () => ({ body: { email } }));
    expect(statuses(answers)).toEqual([202]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    // The invitation, then five links an hour per email (docs/client-portal.md); waiting for a seventh lets any late one land.
    const mails = await waitForMail(email, 7, undefined, 2_000);
    const links = mails.filter((mail) => linkTokenIn(mail.body.text) !== undefined);
    expect(links.length).toBeGreaterThanOrEqual(1);
    expect(links.length).toBeLessThanOrEqual(5);
  });

  it('POST /portal/sign-in/{token}: 20 posts of one link sign in once; the rest get the dead-link page and no cookie', async () => {
    const { email } = await acceptedClient();
    expect((await call('POST', '/portal/sign-in', { body: { email } })).status).toBe(202);
    const token = linkTokenIn((await waitForMail(email, 2))[1]?.body.text)!;
    const path = route('/portal/sign-in/{token}').replace('{token}', token);
    const answers = await Promise.all(Array.from({ length: size }, () => formPost(path, samePage())));
    const won = answers.filter((a) => a.status === 303);
    expect(won).toHaveLength(1);
    expect(signedIn(await portalAs(sessionCookieOf(won[0]!)!))).toBe(true);
    const dead = answers.filter((a) => a !== won[0]);
    expect(statuses(dead)).toEqual([404]);
    expect(new Set(dead.map((a) => a.text)).size).toBe(1);
    for (const answer of dead) expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('POST /portal/sign-out: 20 with one session all land signed out, and the session is gone server-side', async () => {
    const path = route('/portal/sign-out');
    const { cookie } = await acceptedClient();
    const csrf = await csrfOf(cookie);
    const answers = await Promise.all(Array.from({ length: size }, () => formPost(path, { ...samePage(), cookie }, `csrf=${csrf}`)));
    expect(statuses(answers)).toEqual([303]);
    for (const answer of answers) expect(answer.headers.getSetCookie()[0]).toMatch(/^__Host-portal_session=; .*Max-Age=0$/);
    expect(signedIn(await portalAs(cookie))).toBe(false);
  });

  it('POST /households/{id}/document-requests: 20 with one key add the items once; 20 without a key add 20', async () => {
    const householdId = await newHousehold();
    const path = route('/households/{householdId}/document-requests').replace('{householdId}', householdId);
    const key = randomUUID();
    const keyed = await burst('POST', path, () => ({ token: advisor, body: { items: [{ title: 'Passport' }, { title: 'Payslip' }] }, headers: { 'idempotency-key': key } }));
    expect(statuses(keyed).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const first = keyed.find((a) => a.status === 200)!.body;
    for (const answer of keyed.filter((a) => a.status === 200)) expect(answer.body).toEqual(first);
    expect((await checklist(householdId)).map((item) => item.title)).toEqual(['Passport', 'Payslip']);

    const plain = await burst('POST', path, () => ({ token: advisor, body: { items: [{ title: 'Statement' }] } }));
    expect(statuses(plain)).toEqual([200]);
    const items = await checklist(householdId);
    expect(items.filter((item) => item.title === 'Statement')).toHaveLength(size);
    expect(new Set(items.map((item) => item.requestId)).size).toBe(items.length);
  });

  it('POST .../cancel and .../re-request: 20 at once change the item once, the rest are 409', async () => {
    const householdId = await newHousehold();
    const added = await call('POST', `/households/${householdId}/document-requests`, { token: advisor, body: { items: [{ title: 'Tax return' }] } });
    const { requestId } = added.body.items[0];
    const paths = {
      cancel: route('/households/{householdId}/document-requests/{requestId}/cancel'),
      're-request': route('/households/{householdId}/document-requests/{requestId}/re-request'),
    };
    for (const [action, becomes] of [['cancel', 'cancelled'], ['re-request', 'requested']] as const) {
      const path = paths[action].replace('{householdId}', householdId).replace('{requestId}', requestId);
      const answers = await burst('POST', path, () => ({ token: advisor, body: {} }));
      expect(answers.filter((a) => a.status === 200), action).toHaveLength(1);
      expect(statuses(answers)).toEqual([200, 409]);
      expect((await checklist(householdId)).map((item) => item.status)).toEqual([becomes]);
    }
  });

  it('POST /portal/document-requests/{requestId}/upload: 20 forms at once for one item; of all their files only the one it remembers counts', async () => {
    const client = await acceptedClient();
    const added = await call('POST', `/households/${client.householdId}/document-requests`, { token: advisor, body: { items: [{ title: 'ID' }] } });
    const { requestId } = added.body.items[0];
    const path = route('/portal/document-requests/{requestId}/upload').replace('{requestId}', requestId);
    const headers = { cookie: client.cookie, ...samePage(), 'x-csrf-token': await csrfOf(client.cookie) };
    const answers = await Promise.all(
      Array.from({ length: size }, (_, i) => call('POST', path, { headers, body: { name: `id-${i}.pdf`, contentType: 'application/pdf' } })),
    );
    for (const answer of answers) expect(answerProblem(`POST ${path}`, answer)).toBeUndefined();
    expect(statuses(answers).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const forms = answers.filter((a) => a.status === 200).map((a) => a.body as { url: string; fields: Record<string, string> });
    expect(forms.length).toBeGreaterThan(0);
    expect(new Set(forms.map((form) => form.fields.key)).size).toBe(forms.length);

    const pdf = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';
    await Promise.all(
      forms.map(async (form) => {
        const body = new FormData();
        for (const [field, value] of Object.entries(form.fields)) body.append(field, value);
        body.append('file', new Blob([pdf], { type: 'application/pdf' }), 'upload');
        expect((await fetch(form.url, { method: 'POST', body })).ok).toBe(true);
      }),
    );
    const granted = answers.flatMap((a, i) => (a.status === 200 ? [`id-${i}.pdf`] : []));
    const item = await eventually(async () => {
      const [read] = await checklist(client.householdId);
      return read?.status === 'received' ? read : undefined;
    });
    expect(granted).toContain(item.file?.name);
    expect(await checklist(client.householdId)).toHaveLength(1);
  });
});
