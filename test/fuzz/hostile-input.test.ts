import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type Route } from '../../infra/routes.ts';
import { allMail, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { countDomainWrites, type WriteCounter } from '../support/write-counter.ts';

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
  const prospect = await own.api('POST', '/households', { token: tokens.advisor, body: { name: 'Fuzz prospect' } });
  const ticketed = await own.api('POST', `/households/${prospect.body.household.householdId}/invitations`, {
    token: tokens.advisor,
    body: { firstName: 'T', lastName: 'K', email: uniqueEmail('fuzz-ticket') },
  });
  fixtures.ticketId = ticketed.body.invitation.verification.ticketId;
  // The ops email for that ticket arrives asynchronously; let it land before mail is counted.
  await waitForMail('ops@advisor-platform.test', 1, own.stack.mailUrl);
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
      expiresInDays: fc.oneof(fc.integer(), fc.double(), nasty),
      members: fc.array(fc.record({ firstName: nasty, role: nasty }), { maxLength: 3 }),
      accounts: fc.array(fc.record({ accountNumber: nasty, custodian: nasty }), { maxLength: 3 }),
    },
    { requiredKeys: [] },
  ).map((v) => JSON.stringify(v)),
  nasty,
  fc.constant(undefined),
);

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
  fc.constantFrom('limit', 'cursor', 'status', 'x', '__proto__'),
  fc.oneof(nasty, fc.integer().map(String), fc.constantFrom('prospect', 'client', 'open', '0', '101', 'eyJwayI6IngifQ')),
  { maxKeys: 3 },
);

const pathFor = (route: Route, params: Record<string, string>) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === '' ? 'x' : params[name]!));

const tokenOf = (route: Route) => (route.access === 'advisor' ? tokens.advisor : route.access === 'ops' ? tokens.ops : undefined);

describe.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it(`survives ${runs} hostile requests: no 5xx, and no write or email on a 4xx`, async () => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    await fc.assert(
      fc.asyncProperty(
        fc.record(Object.fromEntries(names.map((name) => [name, pathParam(fixtures[name === 'token' ? 'token' : name])]))),
        queryValue,
        bodyValue,
        headerValue,
        async (params, query, body, headers) => {
          const search = new URLSearchParams(query).toString();
          const path = `${pathFor(route, params as Record<string, string>)}${search ? `?${search}` : ''}`;
          const mailBefore = route.method === 'POST' ? (await allMail(own.stack.mailUrl)).length : 0;
          const writesBefore = writes.count;
          const answer = await own.api(route.method, path, {
            token: tokenOf(route),
            headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>,
            ...(route.method === 'POST' && body !== undefined ? { rawBody: body } : {}),
          });
          expect(answer.status, `${path} ${body?.slice(0, 200)}`).toBeLessThan(500);
          if (answer.status >= 400) {
            expect(writes.count - writesBefore, `${answer.status} wrote: ${path}`).toBe(0);
            if (route.method === 'POST') expect((await allMail(own.stack.mailUrl)).length).toBe(mailBefore);
            if (answer.headers.get('content-type')?.includes('json')) expect(answer.body.error.code).toEqual(expect.any(String));
          }
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});
