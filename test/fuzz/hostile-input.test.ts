import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type Route } from '../../infra/routes.ts';
import { firmHouseholdsPartition, invitationKey } from '../../lib/adapters/dynamodb/keys.ts';
import { allMail, eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { countDomainWrites, writesSettled, type WriteCounter } from '../support/write-counter.ts';

// Property-based hostile input for every route: never a 5xx, and a 4xx never changes anything.
const runs = Number(process.env.FUZZ_RUNS ?? 1000);

let own: OwnStack;
let writes: WriteCounter;
const fixtures: Record<string, string> = {};
const tokens: Record<'advisor' | 'ops', string> = { advisor: '', ops: '' };

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000 } });
  writes = await countDomainWrites();
  const firm = newFirm();
  fixtures.firmId = firm;
  tokens.advisor = await tokenFor('advisor', firm);
  tokens.ops = await tokenFor('ops', firm);
  const household = await own.api('POST', '/households', {
    token: tokens.advisor,
    body: { name: 'Fuzz', accounts: [{ accountNumber: '24682468' }] },
  });
  fixtures.householdId = household.body.household.householdId;
  const email = uniqueEmail('fuzz');
  const invited = await own.api('POST', `/households/${fixtures.householdId}/invitations`, {
    token: tokens.advisor,
    body: { firstName: 'F', lastName: 'Z', email },
  });
  fixtures.invitationId = invited.body.invitation.invitationId;
  fixtures.token = linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]).token;
  // The invite page gets a link of its own, so it is fuzzed fresh even if the JSON routes locked theirs.
  const pageEmail = uniqueEmail('fuzz-page');
  await own.api('POST', `/households/${fixtures.householdId}/invitations`, {
    token: tokens.advisor,
    body: { firstName: 'P', lastName: 'G', email: pageEmail },
  });
  fixtures.pageToken = linkIn((await waitForMail(pageEmail, 1, own.stack.mailUrl))[0]).token;
  const prospect = await own.api('POST', '/households', { token: tokens.advisor, body: { name: 'Fuzz prospect' } });
  const ticketed = await own.api('POST', `/households/${prospect.body.household.householdId}/invitations`, {
    token: tokens.advisor,
    body: { firstName: 'T', lastName: 'K', email: uniqueEmail('fuzz-ticket') },
  });
  fixtures.ticketId = ticketed.body.invitation.verification.ticketId;
  // Deleting a household is fuzzed on one of its own, so the other routes keep theirs.
  fixtures.deletableHouseholdId = (await own.api('POST', '/households', { token: tokens.advisor, body: { name: 'Fuzz deletable' } })).body.household.householdId;
  // The ops email for that ticket arrives asynchronously; let it land before mail is counted.
  await waitForMail('ops@advisor-platform.test', 1, own.stack.mailUrl);
  await writesSettled(writes);
  // The counter must see the handlers' writes, or "no write on a 4xx" below could never fail.
  expect(writes.count).toBeGreaterThanOrEqual(4);
}, 120_000);

afterAll(() => own?.stop());

const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('', ' ', '\r\n', '../../etc/passwd', '%00', '<script>', "' OR 1=1 --", '{"$gt":""}', 'null', '💥'.repeat(300)),
  fc.uuid(),
);

const bodyValue = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record(
    {
      name: nasty,
      firstName: nasty,
      lastName: nasty,
      email: fc.oneof(fc.emailAddress(), nasty),
      accountNumber: fc.oneof(fc.stringMatching(/^[0-9 -]{0,40}$/), nasty),
      reason: nasty,
      note: nasty,
      evidence: fc.oneof(
        nasty,
        fc.record({ method: fc.oneof(fc.constantFrom('phone', 'video', 'id_document', 'in_person', 'other'), nasty), reference: nasty }, { requiredKeys: [] }),
      ),
      expiresInDays: fc.oneof(fc.integer(), fc.double(), nasty),
      members: fc.array(fc.record({ firstName: nasty, role: nasty }), { maxLength: 3 }),
      accounts: fc.array(fc.record({ accountNumber: nasty, custodian: nasty }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ).map((v) => JSON.stringify(v)),
  nasty,
  fc.constant(undefined),
);

// What the invite page's forms post, and what a hand-made or hostile post might put there instead.
const formBody = fc
  .oneof(
    // Mostly wrong numbers, so the lockout is reached too; now and then the right one.
    fc
      .oneof({ arbitrary: fc.stringMatching(/^[0-9 -]{4,40}$/), weight: 19 }, { arbitrary: fc.constant('24682468'), weight: 1 })
      .map((number) => new URLSearchParams({ accountNumber: number }).toString()),
    fc
      .record(
        { accountNumber: fc.oneof(fc.stringMatching(/^[0-9 -]{0,40}$/), fc.constant('24682468'), nasty), extra: nasty },
        { requiredKeys: [] },
      )
      .map((fields) => new URLSearchParams(fields as Record<string, string>).toString()),
    fc
      .array(fc.tuple(fc.constantFrom('accountNumber', '__proto__', 'constructor', 'x'), nasty), { maxLength: 3 })
      .map((pairs) => new URLSearchParams(pairs).toString()),
    nasty.map((raw) => `accountNumber=${raw}`),
    fc.constant(''),
  )
  .map((body) => ({ body, contentType: 'application/x-www-form-urlencoded' as string | undefined }));

const payload = fc.oneof(bodyValue.map((body) => ({ body, contentType: undefined as string | undefined })), formBody);

const headerValue = fc.record(
  {
    'content-type': fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/vnd.api+json'),
      fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    ),
    'idempotency-key': fc.oneof(fc.uuid(), fc.string({ maxLength: 300 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
    accept: fc.constantFrom('*/*', 'text/html', 'application/xml'),
  },
  { requiredKeys: [] },
);

const pathParam = (valid: string | undefined) =>
  fc.oneof(fc.constant(valid ?? ''), nasty.map((s) => encodeURIComponent(s)), fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/));

const queryValue = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'status', 'firmId', 'reason', 'assignee', 'x', '__proto__'),
  fc.oneof(nasty, fc.integer().map(String), fc.constantFrom('prospect', 'client', 'open', 'no_account', 'me', 'none', '0', '101', 'eyJwayI6IngifQ')),
  { maxKeys: 3 },
);

const pathFor = (route: Route, params: Record<string, string>) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === '' ? 'x' : params[name]!));

const opsInbox = 'ops@advisor-platform.test';
const isPage = (route: Route) => route.path.startsWith('/invite/');

/** A wrong account number is refused and counted: that count is the lockout rule (SPEC 5), not a stray write. */
const countsWrongNumber = (route: Route, answer: { status: number; body?: { error?: { code?: string } } }) =>
  route.path.endsWith('/verify') &&
  ((answer.status === 422 && (isPage(route) || answer.body?.error?.code === 'invalid_account_number')) ||
    (answer.status === 423 && (isPage(route) || answer.body?.error?.code === 'locked')));

/** The fixture a path parameter is fuzzed around: the invite page's own link, the household a DELETE may delete. */
const fixtureFor = (route: Route, name: string) =>
  name === 'token' && isPage(route) ? 'pageToken' : route.method === 'DELETE' && name === 'householdId' ? 'deletableHouseholdId' : name;

const tokenOf = (route: Route) => (route.access === 'advisor' ? tokens.advisor : route.access === 'ops' ? tokens.ops : undefined);

describe.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it(`survives ${runs} hostile requests: no 5xx, and no write or email on a 4xx`, async () => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    await fc.assert(
      fc.asyncProperty(
        fc.record(Object.fromEntries(names.map((name) => [name, pathParam(fixtures[fixtureFor(route, name)])]))),
        queryValue,
        payload,
        headerValue,
        async (params, query, { body, contentType }, headers) => {
          const search = new URLSearchParams(query).toString();
          const path = `${pathFor(route, params as Record<string, string>)}${search ? `?${search}` : ''}`;
          const mailBefore = route.method === 'POST' ? await allMail(own.stack.mailUrl) : [];
          const writesBefore = writes.count;
          const answer = await own.api(route.method, path, {
            token: tokenOf(route),
            headers: {
              ...(contentType ? { 'content-type': contentType } : {}),
              ...(Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>),
            },
            ...(route.method === 'POST' && body !== undefined ? { rawBody: body } : {}),
          });
          expect(answer.status, `${path} ${body?.slice(0, 200)}`).toBeLessThan(500);
          // Every page answer carries the page headers; only a path the gateway itself can't route is JSON: say
          // /invite/.. (its error names it), or a dot segment the client resolves before sending (/invite/. is sent
          // as /invite/, and a HEAD answer has no body to name it).
          const resolvedByClient = new URL(path, 'http://127.0.0.1').pathname !== path.split('?')[0];
          if (isPage(route) && !resolvedByClient && answer.body?.error?.message !== 'No such route') {
            expect(answer.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
            expect(answer.headers.get('content-security-policy'), path).toContain("default-src 'none'");
            expect(answer.headers.get('cache-control'), path).toBe('no-store');
          }
          if (answer.status >= 400 && countsWrongNumber(route, answer)) {
            // The lock itself raises a ticket, which the ops function mails asynchronously; let that land before counting mail again.
            if (writes.count > writesBefore && answer.status === 423) {
              const opsBefore = mailBefore.filter((mail) => mail.destination.to.includes(opsInbox)).length;
              await waitForMail(opsInbox, opsBefore + 1, own.stack.mailUrl);
              await writesSettled(writes);
            }
          } else if (answer.status >= 400) {
            expect(writes.count - writesBefore, `${answer.status} wrote: ${path}`).toBe(0);
            if (route.method === 'POST') expect((await allMail(own.stack.mailUrl)).length).toBe(mailBefore.length);
            // A HEAD answer carries the headers of its GET without the body.
            if (route.method !== 'HEAD' && answer.headers.get('content-type')?.includes('json')) {
              expect(answer.body.error.code).toEqual(expect.any(String));
            }
          }
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});

// Cursors are handed out signed; every other string in their place is a 400 validation_error, on every list.
describe('list cursors that this list did not hand out', () => {
  const foreign: Record<string, string[]> = {};
  const cursorOf = async (path: string, token: string) => {
    const page = await own.api('GET', path, { token });
    expect(page.body.nextCursor, path).toEqual(expect.any(String));
    return page.body.nextCursor as string;
  };

  beforeAll(async () => {
    const otherFirm = newFirm();
    const otherAdvisor = await tokenFor('advisor', otherFirm);
    const otherHouseholds: string[] = [];
    for (const name of ['Other 1', 'Other 2']) {
      otherHouseholds.push((await own.api('POST', '/households', { token: otherAdvisor, body: { name } })).body.household.householdId);
    }
    const households = await cursorOf('/households?limit=1', tokens.advisor);
    const otherFirmHouseholds = await cursorOf('/households?limit=1', otherAdvisor);
    const invitations = await cursorOf(`/households/${fixtures.householdId}/invitations?limit=1`, tokens.advisor);
    // Two prospect tickets of the other firm: its work list then hands out a cursor of the same shape as the
    // unfiltered work list's, signed for another list.
    for (const householdId of otherHouseholds) {
      await own.api('POST', `/households/${householdId}/invitations`, {
        token: otherAdvisor,
        body: { firstName: 'O', lastName: 'F', email: uniqueEmail('fuzz-other') },
      });
    }
    const otherFirmTickets = `/ops/tickets?firmId=${otherFirm}&limit=1`;
    await eventually(async () => ((await own.api('GET', otherFirmTickets, { token: tokens.ops })).body.nextCursor ? true : undefined));
    const otherFirmWorkList = await cursorOf(otherFirmTickets, tokens.ops);
    // Each list is offered every cursor but its own: another firm's, another list's.
    foreign['/households'] = [otherFirmHouseholds, invitations, otherFirmWorkList];
    foreign[`/households/${fixtures.householdId}/invitations`] = [households, otherFirmHouseholds, otherFirmWorkList];
    foreign['/ops/tickets'] = [households, otherFirmHouseholds, invitations, otherFirmWorkList];
  }, 60_000);

  /** A handed-out cursor with one bit of its key or of its signature flipped, encoded again so the flip is never lost. */
  const flipOneBit = (cursor: string, bit: number) => {
    const parts = cursor.split('.');
    const index = bit % parts.length;
    const bytes = Buffer.from(parts[index]!, 'base64url');
    bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << bit % 8;
    parts[index] = bytes.toString('base64url');
    return parts.join('.');
  };

  /**
   * The start key a forger would write for this very list: its own partition, any other values (empty, huge); for the
   * ops work list, its own list name (ticket-work-list.ts: status, firm, reason, assignee) and any position.
   */
  const forgedKey = (list: string) => {
    const value = fc.oneof(fc.constant(''), fc.string({ maxLength: 20 }), fc.string({ unit: 'grapheme', minLength: 400, maxLength: 700 }));
    if (list === '/ops/tickets') return fc.record({ list: fc.constant('tickets|open|*|*|*'), after: value });
    const partition = fc.constant(
      list === '/households' ? { gsi1pk: firmHouseholdsPartition(fixtures.firmId!) } : { pk: invitationKey(fixtures.firmId!, fixtures.householdId!, '').pk },
    );
    const others = list === 'invitations' ? { sk: value } : { pk: value, sk: value, gsi1sk: value };
    return fc.tuple(fc.record(others), partition).map(([rest, key]) => ({ ...rest, ...key }));
  };

  const hostileCursor = (list: string, handedOutElsewhere: string[]) =>
    fc.oneof(
      nasty.filter((s) => s.length > 0),
      fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), minLength: 1, maxLength: 300 }),
      // Unsigned, as cursors were before they were signed.
      forgedKey(list).map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
      // Looks signed: a key for this list and 16 bytes that are not its signature.
      fc
        .tuple(forgedKey(list), fc.uint8Array({ minLength: 16, maxLength: 16 }))
        .map(([key, mac]) => `${Buffer.from(JSON.stringify(key)).toString('base64url')}.${Buffer.from(mac).toString('base64url')}`),
      fc.tuple(fc.constantFrom(...Object.values(foreign).flat()), fc.nat()).map(([cursor, bit]) => flipOneBit(cursor, bit)),
      fc.constantFrom(...handedOutElsewhere),
    );

  it.each(['/households', 'invitations', '/ops/tickets'])(`refuses ${Math.max(50, runs / 5)} hostile cursors on %s with a 400 envelope`, async (list) => {
    const path = list === 'invitations' ? `/households/${fixtures.householdId}/invitations` : list;
    const token = list === '/ops/tickets' ? tokens.ops : tokens.advisor;
    await fc.assert(
      fc.asyncProperty(hostileCursor(list, foreign[path]!), async (cursor) => {
        const answer = await own.api('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`, { token });
        expect(answer.status, cursor.slice(0, 200)).toBe(400);
        expect(answer.body.error.code).toBe('validation_error');
        expect(answer.body.error.message).toEqual(expect.any(String));
      }),
      { numRuns: Math.max(50, runs / 5) },
    );
  }, 300_000);
});
