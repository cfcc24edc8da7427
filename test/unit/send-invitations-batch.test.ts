// The batch use case against the in-memory invitation store: what each item answers, how sends are paced, and what a
// batch does with an item whose outcome is unknown. The same batch on the real local stack: test/e2e/batch-invitations.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import { newHousehold } from '../../lib/domain/household.ts';
import type { HouseholdStore, OutgoingEmail, RequestMarker } from '../../lib/domain/ports.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import type { BatchItemResult } from '../../lib/schemas/views.ts';
import { itemStartMarginMs, sendInvitationsBatch, type ItemRunner } from '../../lib/use-cases/send-invitations-batch.ts';
import { clientHousehold, firmCaller, prospectHousehold, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

const otherFirmHousehold = newHousehold({ name: 'Elsewhere', members: [] }, [], { ...firmCaller, firmId: 'firm-b' }, start.toISOString());

const system = (options: { sendRate?: number; sendMs?: number; refuse?: string; householdsDown?: string } = {}) => {
  const memory = memoryInvitations();
  const mails: { to: string; at: number }[] = [];
  const queued: TicketRequest[] = [];
  const inFlight = { now: 0, most: 0 };
  const households = {
    get: async (firmId: string, id: string) => {
      if (id === options.householdsDown) throw new AppError('service_unavailable', 'The table did not answer');
      return [prospectHousehold, clientHousehold, otherFirmHousehold].find((h) => h.householdId === id && h.firmId === firmId);
    },
  };
  const deps = {
    invitations: memory.store,
    households: households as unknown as HouseholdStore,
    mailer: {
      send: async (email: OutgoingEmail) => {
        if (email.to === options.refuse) throw new AppError('email_send_failed', 'SES refused');
        inFlight.most = Math.max(inFlight.most, ++inFlight.now);
        await new Promise((resolve) => setTimeout(resolve, options.sendMs ?? 0));
        inFlight.now -= 1;
        mails.push({ to: email.to, at: Date.now() });
      },
    },
    ticketQueue: { send: async (requests: TicketRequest[]) => void queued.push(...requests) },
    portalUrl: () => 'https://portal.test',
    expiryDays: () => 7,
    now: () => start,
    requestId: 'batch-request',
    sendRate: () => options.sendRate ?? 1_000,
  };
  return { memory, mails, queued, inFlight, deps };
};

const direct: ItemRunner = { resumable: false, run: (_index, _item, work) => work(undefined) };
const keyed: ItemRunner = { resumable: true, run: (_index, _item, work) => work({} as RequestMarker) };
const forever = () => Number.POSITIVE_INFINITY;

const item = (householdId: string, email: string, extra: Record<string, unknown> = {}) => ({ householdId, firstName: 'Ann', lastName: 'Lee', email, ...extra });
const run = (s: ReturnType<typeof system>, items: unknown[], options: { items?: ItemRunner; remainingMs?: () => number } = {}) =>
  sendInvitationsBatch(s.deps, firmCaller, items, { items: options.items ?? direct, remainingMs: options.remainingMs ?? forever });
const codes = (results: BatchItemResult[]) => results.map((r) => ('error' in r ? `${r.status} ${r.error.code}` : String(r.status)));

describe('a batch of invitations', () => {
  it('answers each item in order, as the single route would, and emails each created invitation once', async () => {
    const s = system();
    const results = await run(s, [
      item(prospectHousehold.householdId, 'pat@example.com'),
      item(clientHousehold.householdId, 'cal@example.com', { expiresInDays: 3 }),
      item(otherFirmHousehold.householdId, 'oth@example.com'),
      item(clientHousehold.householdId, 'CAL@example.com'),
      item(clientHousehold.householdId, 'not an email'),
      'not an item',
    ]);
    expect(codes(results)).toEqual(['201', '201', '404 not_found', '409 conflict', '400 validation_error', '400 validation_error']);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results[0]).toMatchObject({ invitation: { email: 'pat@example.com', status: 'sent', verification: { method: 'manual', status: 'pending_review' } } });
    expect(results[1]).toMatchObject({ invitation: { email: 'cal@example.com', verification: { method: 'account_number' } } });
    expect(results[3]).toMatchObject({ error: { details: [{ path: 'body.items.3.email', message: expect.stringMatching(/items\.1/) }] } });
    expect(results[4]).toMatchObject({ error: { details: [{ path: 'body.items.4.email' }] } });
    expect(results[5]).toMatchObject({ error: { details: [{ path: 'body.items.5' }] } });
    expect(s.mails.map((m) => m.to).sort()).toEqual(['cal@example.com', 'pat@example.com']);
    expect(s.queued).toEqual([expect.objectContaining({ reason: 'no_account', client: expect.objectContaining({ email: 'pat@example.com' }) })]);
    expect(s.memory.invitations.size).toBe(2);
  });

  it('refuses an email already invited to the household with 409, and one SES refuses with 502 naming the saved invitation', async () => {
    const s = system({ refuse: 'bounce@example.com' });
    await run(s, [item(clientHousehold.householdId, 'ann@example.com')]);
    const results = await run(s, [
      item(clientHousehold.householdId, 'ann@example.com'),
      item(clientHousehold.householdId, 'bounce@example.com'),
      item(clientHousehold.householdId, 'bea@example.com'),
    ]);
    expect(codes(results)).toEqual(['409 conflict', '502 email_send_failed', '201']);
    const [, failed] = results;
    expect(failed).toMatchObject({ error: { details: [{ invitationId: expect.any(String) }] } });
  });

  it('lets items of one household for different people all through', async () => {
    const s = system();
    const emails = Array.from({ length: 25 }, (_, i) => `member${i}@example.com`);
    const results = await run(s, emails.map((email) => item(clientHousehold.householdId, email)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(s.mails).toHaveLength(25);
  });
});

describe("keeping to SES's send rate", () => {
  it('sends no faster than the rate: the k-th email goes out no sooner than k/rate after the batch starts', async () => {
    const s = system({ sendRate: 20 });
    const started = Date.now();
    await run(s, Array.from({ length: 6 }, (_, i) => item(clientHousehold.householdId, `rate${i}@example.com`)));
    const times = s.mails.map((m) => m.at - started).sort((a, b) => a - b);
    // 50 ms apart, less a timer's rounding; a late timer may push one later, never one sooner.
    times.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(k * 50 - 5));
  });

  it('sends several at once, never more than ten, rather than one after another', async () => {
    const s = system({ sendMs: 40 });
    await run(s, Array.from({ length: 30 }, (_, i) => item(clientHousehold.householdId, `busy${i}@example.com`)));
    // Counted, not timed: how many sends were in flight at once.
    expect(s.inFlight.most).toBeGreaterThan(1);
    expect(s.inFlight.most).toBeLessThanOrEqual(10);
  });

  it('does not start an item whose email could not go out in time: 429, nothing saved, the rest answered', async () => {
    const s = system({ sendRate: 10 });
    const remaining = itemStartMarginMs + 150;
    const results = await run(s, Array.from({ length: 5 }, (_, i) => item(clientHousehold.householdId, `late${i}@example.com`)), {
      remainingMs: () => remaining,
    });
    // Starts at 0 and 100 ms fit before the margin; 200 ms and later do not.
    expect(codes(results)).toEqual(['201', '201', '429 rate_limited', '429 rate_limited', '429 rate_limited']);
    expect(s.memory.invitations.size).toBe(2);
    expect(s.mails).toHaveLength(2);
  });

  it('spends no send on an item refused before any work', async () => {
    const s = system({ sendRate: 10 });
    const results = await run(s, [item(clientHousehold.householdId, 'bad'), item(clientHousehold.householdId, 'first@example.com')], {
      remainingMs: () => itemStartMarginMs + 50,
    });
    expect(codes(results)).toEqual(['400 validation_error', '201']);
  });
});

describe('an item whose outcome is unknown', () => {
  it('is its own 503 without an Idempotency-Key, since a retry could not tell what it did', async () => {
    const s = system({ householdsDown: prospectHousehold.householdId });
    const results = await run(s, [item(prospectHousehold.householdId, 'down@example.com'), item(clientHousehold.householdId, 'up@example.com')]);
    expect(codes(results)).toEqual(['503 service_unavailable', '201']);
  });

  it('fails the whole batch with 503 under an Idempotency-Key, once every other item is done, so the retry resumes it', async () => {
    const s = system({ householdsDown: prospectHousehold.householdId });
    const failed = run(s, [item(prospectHousehold.householdId, 'down@example.com'), item(clientHousehold.householdId, 'up@example.com')], { items: keyed });
    await expect(failed).rejects.toMatchObject({ code: 'service_unavailable', details: [{ path: 'body.items.0' }] });
    expect(s.mails.map((m) => m.to)).toEqual(['up@example.com']);
  });

  it('fails the whole batch when the bookkeeping of an item fails, after the others are done', async () => {
    const s = system();
    const failing: ItemRunner = {
      resumable: true,
      run: (index, _item, work) => (index === 0 ? Promise.reject(new AppError('conflict', 'still in progress')) : work({} as RequestMarker)),
    };
    const failed = run(s, [item(clientHousehold.householdId, 'a@example.com'), item(clientHousehold.householdId, 'b@example.com')], { items: failing });
    await expect(failed).rejects.toMatchObject({ code: 'conflict' });
    expect(s.mails.map((m) => m.to)).toEqual(['b@example.com']);
  });
});

describe('hostile items in a well-formed batch', () => {
  const text = fc.oneof(fc.string(), fc.constantFrom('', ' ', '\r\n', '<script>', '__proto__', '💥'.repeat(120)));
  const hostileItem = fc.oneof(
    fc.jsonValue(),
    fc.record(
      {
        householdId: fc.oneof(fc.constantFrom(clientHousehold.householdId, prospectHousehold.householdId, otherFirmHousehold.householdId), fc.uuid(), text),
        firstName: text,
        lastName: text,
        email: fc.oneof(fc.emailAddress(), text),
        expiresInDays: fc.oneof(fc.integer(), fc.double(), text),
        extra: text,
      },
      { requiredKeys: [] },
    ),
  );

  it('answers every item, in order, with a 201 or a 4xx, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileItem, { minLength: 1, maxLength: 12 }), async (items) => {
        const results = await run(system(), items);
        expect(results.map((r) => r.index)).toEqual(items.map((_, i) => i));
        for (const result of results) expect(result.status).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });
});
