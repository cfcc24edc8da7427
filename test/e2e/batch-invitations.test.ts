// POST /invitations/batch on the local stack: a result per item, each item exactly the single route, emails once,
// SES's rate kept, and the Idempotency-Key honoured even when the first attempt failed midway.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { allMail, eventually, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let firm: string;
let advisor: string;
let ops: string;
let prospectId: string;
let clientId: string;
let otherFirmHouseholdId: string;

const householdOf = async (token: string, body: object) => (await call('POST', '/households', { token, body })).body.household.householdId as string;

beforeAll(async () => {
  firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  ops = await tokenFor('ops', firm);
  prospectId = await householdOf(advisor, { name: 'Batch Prospect' });
  clientId = await householdOf(advisor, { name: 'Batch Client', accounts: [{ accountNumber: '13571357' }] });
  otherFirmHouseholdId = await householdOf(await tokenFor('advisor', newFirm()), { name: 'Not Theirs' });
});

const person = (householdId: string, email: string) => ({ householdId, firstName: 'Bo', lastName: 'Batch', email });
const batch = (items: unknown[], key?: string, token = advisor) =>
  call('POST', '/invitations/batch', { token, body: { items }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
const invitationsOf = async (householdId: string) =>
  (await call('GET', `/households/${householdId}/invitations?limit=100`, { token: advisor })).body.items as { invitationId: string; email: string }[];
const codes = (results: { status: number; error?: { code: string } }[]) => results.map((r) => (r.error ? `${r.status} ${r.error.code}` : String(r.status)));
/** Mail that reached any of `emails`, after waiting for any late one to land. */
const mailFor = async (emails: string[], mailUrl?: string) => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return (await allMail(mailUrl)).filter((mail) => mail.destination.to.some((to) => emails.includes(to)));
};

describe('a batch of invitations', () => {
  it('answers each item as the single route would: a prospect (ticket raised), a client, 404, 409 and 400, each created one emailed once', async () => {
    const [pat, cal] = [uniqueEmail('batch-pat'), uniqueEmail('batch-cal')];
    const answer = await batch([
      person(prospectId, pat),
      { ...person(clientId, cal), expiresInDays: 3 },
      person(otherFirmHouseholdId, uniqueEmail('batch-other')),
      person(clientId, cal.toUpperCase()),
      person(clientId, 'not-an-email'),
    ]);
    expect(answer.status).toBe(200);
    const { results } = answer.body;
    expect(codes(results)).toEqual(['201', '201', '404 not_found', '409 conflict', '400 validation_error']);
    expect(results.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(results[0].invitation).toMatchObject({ email: pat, status: 'sent', verification: { method: 'manual', status: 'pending_review' } });
    expect(results[1].invitation).toMatchObject({ email: cal, status: 'sent', verification: { method: 'account_number' } });
    expect(Date.parse(results[1].invitation.expiresAt) - Date.parse(results[1].invitation.createdAt)).toBe(3 * 86_400_000);
    expect(results[3].error.details).toEqual([expect.objectContaining({ path: 'body.items.3.email' })]);
    expect(results[4].error.details).toEqual([expect.objectContaining({ path: 'body.items.4.email' })]);

    const ticketId = results[0].invitation.verification.ticketId as string;
    const ticket = await eventually(async () => {
      const read = await call('GET', `/ops/tickets/${ticketId}`, { token: ops });
      return read.status === 200 ? read.body.ticket : undefined;
    });
    expect(ticket).toMatchObject({ reason: 'no_account', invitationId: results[0].invitation.invitationId, client: { email: pat } });
    expect(await waitForMail(pat, 2, undefined, 1_500)).toHaveLength(1);
    expect(await waitForMail(cal, 2, undefined, 1_500)).toHaveLength(1);
    expect((await invitationsOf(clientId)).filter((i) => i.email === cal)).toHaveLength(1);
  });

  it('refuses 101 items as a whole: 400, nothing created, nothing sent', async () => {
    const householdId = await householdOf(advisor, { name: 'Too Many' });
    const emails = Array.from({ length: 101 }, (_, i) => uniqueEmail(`batch-101-${i}`));
    const answer = await batch(emails.map((email) => person(householdId, email)));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'body.items', message: 'must hold 1 to 100 items' }] });
    expect(await invitationsOf(householdId)).toHaveLength(0);
    expect(await mailFor(emails)).toHaveLength(0);
  });

  it('answers a retry with the same Idempotency-Key as the first time, creating and sending nothing twice', async () => {
    const householdId = await householdOf(advisor, { name: 'Retried Batch' });
    const emails = [uniqueEmail('batch-retry-a'), uniqueEmail('batch-retry-b')];
    const items = [...emails.map((email) => person(householdId, email)), person(otherFirmHouseholdId, uniqueEmail('batch-retry-c'))];
    const key = randomUUID();
    const first = await batch(items, key);
    const retry = await batch(items, key);
    expect(first.status).toBe(200);
    expect(codes(first.body.results)).toEqual(['201', '201', '404 not_found']);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await invitationsOf(householdId)).toHaveLength(2);
    expect(await mailFor(emails)).toHaveLength(2);

    const other = await batch([person(householdId, uniqueEmail('batch-retry-d'))], key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await invitationsOf(householdId)).toHaveLength(2);
  });

  it("sends 100 within the function's time, no faster than SES's default rate of 14 a second", async () => {
    const householdId = await householdOf(advisor, { name: 'Hundred', accounts: [{ accountNumber: '24242424' }] });
    const emails = Array.from({ length: 100 }, (_, i) => uniqueEmail(`batch-100-${i}`));
    const started = Date.now();
    const answer = await batch(emails.map((email) => person(householdId, email)));
    const tookMs = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    // Paced: the 100th start is 99/14 s after the first. Within the function's time: every item 201 (one it could not
    // start before the deadline would be 429), so no upper bound on the clock is asserted.
    expect(tookMs).toBeGreaterThanOrEqual(7_000);
    expect(await invitationsOf(householdId)).toHaveLength(100);
    const mails = await mailFor(emails);
    expect(mails).toHaveLength(100);
    expect(new Set(mails.map((mail) => mail.destination.to[0])).size).toBe(100);
  }, 60_000);
});

describe('a batch whose first attempt failed midway', () => {
  // A private stack: the fault is injected into this process's DynamoDB client, which its handlers share.
  let own: OwnStack;
  let ownAdvisor: string;

  beforeAll(async () => {
    own = await startOwnStack();
    ownAdvisor = await tokenFor('advisor', newFirm());
  }, 120_000);

  afterAll(() => own?.stop());

  /** Lets the `nth` invitation write from now reach the table, then loses its answer, as a connection reset would. */
  const loseAnswerOfInvitationWrite = (nth: number) => {
    let seen = 0;
    documents.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const items = ((args.input as { TransactItems?: { Put?: { Item?: { entity?: string } } }[] }).TransactItems ?? []);
        if (items.some((item) => item.Put?.Item?.entity === 'invitation') && ++seen === nth) {
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return result;
      },
      { step: 'initialize', name: `lose-batch-invitation-${randomUUID()}` },
    );
  };

  it('is a 503, and its retry with the same key answers every item, each invitation made and emailed once', async () => {
    const householdId = (await own.api('POST', '/households', { token: ownAdvisor, body: { name: 'Midway' } })).body.household.householdId;
    const emails = Array.from({ length: 6 }, (_, i) => uniqueEmail(`batch-midway-${i}`));
    const request = { token: ownAdvisor, body: { items: emails.map((email) => person(householdId, email)) }, headers: { 'idempotency-key': randomUUID() } };
    loseAnswerOfInvitationWrite(3);
    const first = await own.api('POST', '/invitations/batch', request);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('service_unavailable');

    const retry = await own.api('POST', '/invitations/batch', request);
    expect(retry.status).toBe(200);
    expect(codes(retry.body.results)).toEqual(Array(6).fill('201'));
    const listed = (await own.api('GET', `/households/${householdId}/invitations?limit=100`, { token: ownAdvisor })).body.items;
    expect(listed).toHaveLength(6);
    expect(new Set(retry.body.results.map((r: { invitation: { invitationId: string } }) => r.invitation.invitationId))).toEqual(
      new Set(listed.map((i: { invitationId: string }) => i.invitationId)),
    );
    await waitForMail(emails[5]!, 1, own.stack.mailUrl);
    const mails = await mailFor(emails, own.stack.mailUrl);
    expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual([...emails].sort());
  }, 60_000);
});
