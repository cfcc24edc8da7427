import { beforeAll, describe, expect, it } from 'vitest';
import { firmHouseholdsPartition, invitationKey } from '../../lib/adapters/dynamodb/keys.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';

// A list cursor is the caller's to carry, never to write: anything but a cursor this list handed out is a 400.
let firm: string;
let advisor: string;
let ops: string;
let otherFirm: string;
let otherAdvisor: string;
let householdId: string;

const forged = (key: Record<string, string>) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

/** The cursor's bytes with one bit flipped, encoded again, so the change is never lost in base64's unused bits. */
const flipped = (cursor: string, bit: number) => {
  const [payload, ...rest] = cursor.split('.');
  const bytes = Buffer.from(payload!, 'base64url');
  bytes[Math.floor(bit / 8) % bytes.length]! ^= 1 << bit % 8;
  return [bytes.toString('base64url'), ...rest].join('.');
};

const expectRefused = (answer: { status: number; body: { error?: { code?: string; message?: string } } }) => {
  expect(answer.status).toBe(400);
  expect(answer.body.error?.code).toBe('validation_error');
  expect(answer.body.error?.message).toEqual(expect.any(String));
};

const firstCursor = async (path: string, token: string) => {
  const page = await call('GET', path, { token });
  expect(page.status).toBe(200);
  expect(page.body.nextCursor).toEqual(expect.any(String));
  return page.body.nextCursor as string;
};

beforeAll(async () => {
  firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  ops = await tokenFor('ops', firm);
  otherFirm = newFirm();
  otherAdvisor = await tokenFor('advisor', otherFirm);
  for (const token of [advisor, otherAdvisor]) {
    for (const name of ['Cursor A', 'Cursor B', 'Cursor C']) {
      expect((await call('POST', '/households', { token, body: { name } })).status).toBe(201);
    }
  }
  householdId = (await call('GET', '/households?limit=1', { token: advisor })).body.items[0].householdId;
  for (const label of ['one', 'two']) {
    const invited = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Cur', lastName: 'Sor', email: uniqueEmail(`cursor-${label}`) },
    });
    expect(invited.status).toBe(201);
  }
  // Both invitations of the prospect raise a ticket through the queue: the firm's work list then has two pages of one.
  await eventually(async () => ((await call('GET', `/ops/tickets?firmId=${firm}`, { token: ops })).body.items?.length === 2 ? true : undefined));
}, 60_000);

/** What a work-list cursor names (ticket-work-list.ts): the list (status, firm, reason, assignee) and a position. */
const workListKey = (after: string, firmId = '*') => ({ list: `tickets|open|${firmId}|*|*`, after });

describe('a forged list cursor', () => {
  it('with empty key values is a 400 on the households list, never a DynamoDB error', async () => {
    const cursor = forged({ pk: '', sk: '', gsi1pk: firmHouseholdsPartition(firm), gsi1sk: '' });
    expectRefused(await call('GET', `/households?cursor=${cursor}`, { token: advisor }));
  });

  it('with over-long key values is a 400 on the households list', async () => {
    const long = '€'.repeat(1000);
    const cursor = forged({ pk: long, sk: long, gsi1pk: firmHouseholdsPartition(firm), gsi1sk: long });
    expectRefused(await call('GET', `/households?cursor=${cursor}`, { token: advisor }));
  });

  it('with empty key values is a 400 on the invitations list', async () => {
    const cursor = forged({ pk: invitationKey(firm, householdId, '').pk, sk: '' });
    expectRefused(await call('GET', `/households/${householdId}/invitations?cursor=${cursor}`, { token: advisor }));
  });

  it('naming the ops work list and an empty, over-long or made-up position is a 400, unsigned or with a made-up signature', async () => {
    for (const key of [workListKey(''), workListKey('€'.repeat(1000)), workListKey('2000-01-01T00:00:00.000Z#x'), workListKey('', firm)]) {
      for (const cursor of [forged(key), `${forged(key)}.${'A'.repeat(22)}`]) {
        expectRefused(await call('GET', `/ops/tickets?cursor=${cursor}`, { token: ops }));
        expectRefused(await call('GET', `/ops/tickets?firmId=${firm}&cursor=${cursor}`, { token: ops }));
      }
    }
  });
});

describe('a list cursor the server handed out', () => {
  it('pages through the list, each household once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { householdId: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/households?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: advisor },
      );
      seen.push(...page.body.items.map((item) => item.householdId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
  });

  it('is refused with any single bit flipped', async () => {
    const cursor = await firstCursor('/households?limit=1', advisor);
    const bits = Buffer.from(cursor.split('.')[0]!, 'base64url').length * 8;
    for (const bit of [0, 7, Math.floor(bits / 2), bits - 1]) {
      expectRefused(await call('GET', `/households?limit=1&cursor=${flipped(cursor, bit)}`, { token: advisor }));
    }
  });

  it("is refused on another firm's list", async () => {
    const theirs = await firstCursor('/households?limit=1', otherAdvisor);
    expectRefused(await call('GET', `/households?limit=1&cursor=${theirs}`, { token: advisor }));
  });

  it('is refused on another list of the same firm', async () => {
    const allHouseholds = await firstCursor('/households?limit=1', advisor);
    expectRefused(await call('GET', `/households?status=prospect&limit=1&cursor=${allHouseholds}`, { token: advisor }));
    const invitations = await firstCursor(`/households/${householdId}/invitations?limit=1`, advisor);
    expectRefused(await call('GET', `/households?limit=1&cursor=${invitations}`, { token: advisor }));
  });

  it("pages through the firm's open tickets on the ops work list, each once, oldest first", async () => {
    const seen: { ticketId: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { ticketId: string; createdAt: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/ops/tickets?firmId=${firm}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ops },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((ticket) => ticket.ticketId)).size).toBe(2);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.createdAt <= seen[1]!.createdAt).toBe(true);
  });

  it('of the ops work list is refused with a bit flipped, on any other list, and on the households list', async () => {
    const cursor = await firstCursor(`/ops/tickets?firmId=${firm}&limit=1`, ops);
    const bits = Buffer.from(cursor.split('.')[0]!, 'base64url').length * 8;
    for (const bit of [0, 7, Math.floor(bits / 2), bits - 1]) {
      expectRefused(await call('GET', `/ops/tickets?firmId=${firm}&limit=1&cursor=${flipped(cursor, bit)}`, { token: ops }));
    }
    // Every filter is part of the list a cursor belongs to: the same position on another list is not this cursor's.
    for (const other of ['', `firmId=${otherFirm}&`, `firmId=${firm}&status=approved&`, `firmId=${firm}&reason=no_account&`, `firmId=${firm}&assignee=none&`]) {
      expectRefused(await call('GET', `/ops/tickets?${other}limit=1&cursor=${cursor}`, { token: ops }));
    }
    expectRefused(await call('GET', `/households?limit=1&cursor=${cursor}`, { token: advisor }));
    const households = await firstCursor('/households?limit=1', advisor);
    expectRefused(await call('GET', `/ops/tickets?firmId=${firm}&limit=1&cursor=${households}`, { token: ops }));
  });

  it('is refused truncated, or with its signature dropped or swapped', async () => {
    const cursor = await firstCursor('/households?limit=1', advisor);
    const [payload] = cursor.split('.');
    for (const tampered of [cursor.slice(0, -1), cursor.slice(0, 10), payload!, `${payload}.${'A'.repeat(22)}`, `${cursor}x`]) {
      expectRefused(await call('GET', `/households?limit=1&cursor=${tampered}`, { token: advisor }));
    }
  });
});
