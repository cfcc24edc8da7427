import { beforeAll, describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';

let firm: string;
let advisor: string;
let otherFirmAdvisor: string;

beforeAll(async () => {
  firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  otherFirmAdvisor = await tokenFor('advisor', newFirm());
});

const createHousehold = (body: unknown, token = advisor) => call('POST', '/households', { token, body });

const countHouseholds = async (token = advisor) => {
  const answer = await call('GET', '/households?limit=100', { token });
  return answer.body.items.length as number;
};

describe('advisors create households', () => {
  it('keeps a household without accounts as a prospect, with no error', async () => {
    const answer = await createHousehold({
      name: 'The Rivera Family',
      members: [{ firstName: 'Ana', lastName: 'Rivera', email: 'ana@example.com', role: 'primary' }],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.household).toMatchObject({
      name: 'The Rivera Family',
      status: 'prospect',
      accounts: [],
      members: [{ firstName: 'Ana', lastName: 'Rivera', email: 'ana@example.com', role: 'primary' }],
    });
    expect(answer.body.household.members[0].memberId).toEqual(expect.any(String));
  });

  it('makes a household with accounts a client and returns only the last four digits', async () => {
    const answer = await createHousehold({
      name: 'The Chen Household',
      accounts: [{ accountNumber: '1234-5678-9012', custodian: 'Schwab' }, { accountNumber: 'AB99887766' }],
    });
    expect(answer.status).toBe(201);
    expect(answer.body.household.status).toBe('client');
    expect(answer.body.household.accounts).toEqual([
      { accountId: expect.any(String), last4: '9012', custodian: 'Schwab' },
      { accountId: expect.any(String), last4: '7766' },
    ]);
    expect(answer.text).not.toContain('123456789012');
    expect(answer.text).not.toContain('AB99887766');
  });

  it('reads a household back by id', async () => {
    const created = await createHousehold({ name: 'Readback' });
    const answer = await call('GET', `/households/${created.body.household.householdId}`, { token: advisor });
    expect(answer.status).toBe(200);
    expect(answer.body.household).toEqual(created.body.household);
  });
});

describe('prospects become clients', () => {
  it('turns a prospect into a client when an account is linked', async () => {
    const created = await createHousehold({ name: 'Soon a client' });
    const id = created.body.household.householdId;
    const linked = await call('POST', `/households/${id}/accounts`, {
      token: advisor,
      body: { accountNumber: '5555 4444 3333', custodian: 'Fidelity' },
    });
    expect(linked.status).toBe(201);
    expect(linked.body.household.status).toBe('client');
    expect(linked.body.household.accounts).toEqual([{ accountId: expect.any(String), last4: '3333', custodian: 'Fidelity' }]);
    const read = await call('GET', `/households/${id}`, { token: advisor });
    expect(read.body.household.status).toBe('client');
  });

  it('refuses to link the same account number twice', async () => {
    const created = await createHousehold({ name: 'Twice', accounts: [{ accountNumber: '111122223333' }] });
    const id = created.body.household.householdId;
    const again = await call('POST', `/households/${id}/accounts`, { token: advisor, body: { accountNumber: '1111-2222-3333' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const read = await call('GET', `/households/${id}`, { token: advisor });
    expect(read.body.household.accounts).toHaveLength(1);
  });
});

describe('a household holds at most 50 accounts, as at creation', () => {
  const accountNumber = (i: number) => `7${String(i).padStart(9, '0')}`;

  it('links a concurrent burst up to the cap and refuses the rest with 409, never a 5xx, never over the cap', async () => {
    const created = await createHousehold({ name: 'Nearly full', accounts: Array.from({ length: 40 }, (_, i) => ({ accountNumber: accountNumber(i) })) });
    expect(created.status).toBe(201);
    const id = created.body.household.householdId;
    const burst = await Promise.all(
      Array.from({ length: 15 }, (_, i) => call('POST', `/households/${id}/accounts`, { token: advisor, body: { accountNumber: accountNumber(100 + i) } })),
    );
    const statuses = burst.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(10).fill(201), ...Array(5).fill(409)]);
    for (const refused of burst.filter((answer) => answer.status === 409)) {
      expect(refused.body.error.code).toBe('conflict');
      expect(refused.body.error.message).toContain('50 accounts');
    }
    const oneMore = await call('POST', `/households/${id}/accounts`, { token: advisor, body: { accountNumber: accountNumber(999) } });
    expect(oneMore.status).toBe(409);
    expect(oneMore.body.error.message).toContain('50 accounts');
    const read = await call('GET', `/households/${id}`, { token: advisor });
    expect(read.body.household.accounts).toHaveLength(50);
  });

  it('still answers a duplicate on a full household as already linked', async () => {
    const full = await createHousehold({ name: 'Full', accounts: Array.from({ length: 50 }, (_, i) => ({ accountNumber: accountNumber(i) })) });
    const again = await call('POST', `/households/${full.body.household.householdId}/accounts`, { token: advisor, body: { accountNumber: accountNumber(7) } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already linked');
  });
});

describe('listing households', () => {
  it('filters by status and pages with an opaque cursor', async () => {
    const lister = await tokenFor('advisor', newFirm());
    for (let i = 0; i < 3; i += 1) await createHousehold({ name: `Prospect ${i}` }, lister);
    await createHousehold({ name: 'Client', accounts: [{ accountNumber: '99998888' }] }, lister);

    const prospects = await call('GET', '/households?status=prospect', { token: lister });
    expect(prospects.body.items.map((h: { name: string }) => h.name)).toEqual(['Prospect 0', 'Prospect 1', 'Prospect 2']);
    const clients = await call('GET', '/households?status=client', { token: lister });
    expect(clients.body.items.map((h: { name: string }) => h.name)).toEqual(['Client']);

    const first = await call('GET', '/households?limit=3', { token: lister });
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call('GET', `/households?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token: lister });
    expect(second.body.items.map((h: { name: string }) => h.name)).toEqual(['Client']);
    expect(second.body.nextCursor).toBeNull();
  });

  it("rejects another firm's cursor instead of reading across firms", async () => {
    await createHousehold({ name: 'A' });
    await createHousehold({ name: 'B' });
    const mine = await call('GET', '/households?limit=1', { token: advisor });
    const theirs = await call('GET', `/households?limit=1&cursor=${mine.body.nextCursor}`, { token: otherFirmAdvisor });
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.code).toBe('validation_error');
  });

  it('rejects a bad limit, status or garbage cursor with 400', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'status=gold', 'cursor=%%%', 'cursor=bm90LWpzb24', 'unknown=1']) {
      const answer = await call('GET', `/households?${query}`, { token: advisor });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code, query).toBe('validation_error');
    }
  });
});

describe('every firm sees only its own households', () => {
  it("answers another firm's household exactly like a missing one", async () => {
    const created = await createHousehold({ name: 'Private' });
    const id = created.body.household.householdId;
    const foreign = await call('GET', `/households/${id}`, { token: otherFirmAdvisor });
    const missing = await call('GET', '/households/01900000-0000-7000-8000-000000000000', { token: otherFirmAdvisor });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const link = await call('POST', `/households/${id}/accounts`, { token: otherFirmAdvisor, body: { accountNumber: '12345678' } });
    expect(link.status).toBe(404);
    const after = await call('GET', `/households/${id}`, { token: advisor });
    expect(after.body.household.accounts).toEqual([]);
  });

  it('answers a malformed household id with 404', async () => {
    const answer = await call('GET', '/households/not-an-id', { token: advisor });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

describe('bad input gets a clear JSON error and changes nothing', () => {
  const cases: [string, Parameters<typeof call>[2], number, string][] = [
    ['invalid JSON', { rawBody: '{"name": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['a non-JSON content type', { rawBody: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['no content type', { rawBody: '{"name":"x"}' }, 415, 'unsupported_media_type'],
    ['a body over 1 MB', { body: { name: 'x', pad: 'y'.repeat(1_100_000) } }, 413, 'payload_too_large'],
    ['no body', {}, 400, 'validation_error'],
    ['a JSON array', { body: [] }, 400, 'validation_error'],
    ['an empty name', { body: { name: '   ' } }, 400, 'validation_error'],
    ['an unknown field', { body: { name: 'x', firmId: 'someone-else' } }, 400, 'validation_error'],
    ['a bad role', { body: { name: 'x', members: [{ firstName: 'a', lastName: 'b', role: 'boss' }] } }, 400, 'validation_error'],
    ['a bad email', { body: { name: 'x', members: [{ firstName: 'a', lastName: 'b', role: 'primary', email: 'nope' }] } }, 400, 'validation_error'],
    ['a control character in a name', { body: { name: 'x\r\nBcc: evil@example.com' } }, 400, 'validation_error'],
    ['a short account number', { body: { name: 'x', accounts: [{ accountNumber: '12' }] } }, 400, 'validation_error'],
    ['a duplicated account number', { body: { name: 'x', accounts: [{ accountNumber: '12345' }, { accountNumber: '123-45' }] } }, 400, 'validation_error'],
  ];

  it.each(cases)('answers %s with a JSON error and writes nothing', async (_label, options, status, code) => {
    const before = await countHouseholds();
    const answer = await call('POST', '/households', { token: advisor, ...options });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
    expect(answer.body.error.message).toEqual(expect.any(String));
    expect(answer.body.error.details).toEqual(expect.any(Array));
    expect(await countHouseholds()).toBe(before);
  });

  it('names the offending field in the details', async () => {
    const answer = await createHousehold({ name: 'x', members: [{ firstName: 'a', lastName: '', role: 'primary' }] });
    expect(answer.body.error.details).toContainEqual(expect.objectContaining({ path: 'body.members.0.lastName' }));
  });
});
