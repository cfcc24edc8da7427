// A household's document checklist through the API on the local stack: the advisor adds, lists, cancels and asks
// again, for their own firm's households only, and a retry with the same Idempotency-Key adds nothing twice.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';

let advisor: string;
let householdId: string;

const checklist = (id = householdId, token = advisor) => call('GET', `/households/${id}/document-requests`, { token });
const add = (items: unknown[], options: { id?: string; token?: string; key?: string } = {}) =>
  call('POST', `/households/${options.id ?? householdId}/document-requests`, {
    token: options.token ?? advisor,
    body: { items },
    ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
  });
const change = (requestId: string, action: 'cancel' | 're-request', token = advisor) =>
  call('POST', `/households/${householdId}/document-requests/${requestId}/${action}`, { token, body: {} });

beforeAll(async () => {
  advisor = await tokenFor('advisor', newFirm());
  householdId = (await call('POST', '/households', { token: advisor, body: { name: 'Documents' } })).body.household.householdId;
});

describe("a household's document checklist", () => {
  it('adds items, each requested and required unless said otherwise, and answers the whole checklist oldest first', async () => {
    const first = await add([{ title: 'Passport', description: 'Both pages' }]);
    expect(first.status).toBe(200);
    const second = await add([{ title: 'Payslip', required: false }, { title: 'Utility bill' }]);
    expect(second.status).toBe(200);
    expect(second.body.items.map((item: { title: string; required: boolean; status: string }) => [item.title, item.required, item.status])).toEqual([
      ['Passport', true, 'requested'],
      ['Payslip', false, 'requested'],
      ['Utility bill', true, 'requested'],
    ]);
    const [passport] = second.body.items;
    expect(passport).toEqual({
      requestId: expect.any(String),
      title: 'Passport',
      description: 'Both pages',
      required: true,
      status: 'requested',
      createdAt: expect.any(String),
      updatedAt: passport.createdAt,
    });
    expect((await checklist()).body).toEqual(second.body);
  });

  it('cancels an item and asks for it again; a second cancel or a re-request of a requested item is 409', async () => {
    const added = await add([{ title: 'Tax return' }]);
    const item = added.body.items.at(-1);
    const cancelled = await change(item.requestId, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.item).toMatchObject({ requestId: item.requestId, status: 'cancelled' });
    expect((await change(item.requestId, 'cancel')).status).toBe(409);
    const again = await change(item.requestId, 're-request');
    expect(again.status).toBe(200);
    expect(again.body.item.status).toBe('requested');
    expect((await change(item.requestId, 're-request')).status).toBe(409);
    const listed = (await checklist()).body.items.find((found: { requestId: string }) => found.requestId === item.requestId);
    expect(listed.status).toBe('requested');
  });

  it('refuses an empty list, more than 50 items, an unknown field and an empty title, adding nothing', async () => {
    const before = (await checklist()).body.items.length;
    const answers = await Promise.all([
      add([]),
      add(Array.from({ length: 51 }, (_, n) => ({ title: `Doc ${n}` }))),
      add([{ title: 'x', colour: 'red' }]),
      add([{ title: ' ' }]),
    ]);
    expect(answers.map((answer) => [answer.status, answer.body.error.code])).toEqual(Array(4).fill([400, 'validation_error']));
    expect((await checklist()).body.items).toHaveLength(before);
  });

  it('takes 50 items in one call', async () => {
    const firmAdvisor = await tokenFor('advisor', newFirm());
    const id = (await call('POST', '/households', { token: firmAdvisor, body: { name: 'Fifty' } })).body.household.householdId;
    const answer = await add(Array.from({ length: 50 }, (_, n) => ({ title: `Doc ${n}` })), { id, token: firmAdvisor });
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(50);
  });

  it('adds nothing twice for retries with one Idempotency-Key, and answers the first answer', async () => {
    const key = randomUUID();
    const before = (await checklist()).body.items.length;
    const answers = await Promise.all(Array.from({ length: 5 }, () => add([{ title: 'Once' }], { key })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(200));
    expect((await checklist()).body.items).toHaveLength(before + 1);
    const replay = await add([{ title: 'Once' }], { key });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it("answers 404 for another firm's household or item, and changes nothing", async () => {
    const other = await tokenFor('advisor', newFirm());
    const item = (await checklist()).body.items[0];
    expect((await checklist(householdId, other)).status).toBe(404);
    expect((await add([{ title: 'Sneaky' }], { token: other })).status).toBe(404);
    expect((await change(item.requestId, 'cancel', other)).status).toBe(404);
    expect((await change(randomUUID().replace(/^(.{14})./, '$17'), 'cancel')).status).toBe(404);
    expect((await checklist()).body.items[0]).toEqual(item);
  });

  it('is for advisors only', async () => {
    const ops = await tokenFor('ops', newFirm());
    expect((await checklist(householdId, ops)).status).toBe(403);
  });
});
