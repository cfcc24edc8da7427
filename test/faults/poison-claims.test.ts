// Issue #10 item 3: a claim or body the ops function would refuse must be refused (or safely cut) before
// anything is written, so no ticket request can be poisoned into the dead-letter queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '../../infra/local/jwt.ts';
import { newFirm, signedToken, tokenFor } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';
import { sent } from '../support/memory/fixtures.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';
import { visibleCountAt } from '../support/queue-counts.ts';

let own: OwnStack;
beforeAll(async () => {
  own = await startOwnStack();
}, 120_000);
afterAll(async () => own?.stop());


describe('a firm name as long as Cognito allows (256 characters)', () => {
  it('still gets its prospect ticket filed and its ops email sent; nothing reaches the DLQ', async () => {
    const firmId = newFirm();
    // Multi-byte letters and an astral character at the cut point: truncation must not split a pair.
    const firmName = `${'É'.repeat(199)}😀${'x'.repeat(55)}`;
    expect(firmName.length).toBe(256);
    const advisor = await tokenFor('advisor', firmId, { firmName });
    const ops = await tokenFor('ops', firmId);
    const created = await own.api('POST', '/households', { token: advisor, body: { name: 'Long Firm Prospects' } });
    expect(created.status).toBe(201);
    const householdId = created.body.household.householdId as string;
    const invited = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Lena', lastName: 'Longfirm', email: uniqueEmail('long-firm') },
    });
    expect(invited.status).toBe(201);
    const ticketId = invited.body.invitation.verification.ticketId as string;
    const ticket = await eventually(async () => {
      const answer = await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops });
      return answer.status === 200 ? answer.body.ticket : undefined;
    }, 20_000);
    expect(ticket.status).toBe('open');
    const opsMail = await eventually(async () => {
      const found = (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
      return found.length > 0 ? found : undefined;
    });
    expect(opsMail).toHaveLength(1);
    // The name is cut to 200 characters for display, never mid-character.
    expect(opsMail[0]!.body.text).toContain(`Firm: ${'É'.repeat(199)} (${firmId})`);
    expect(await visibleCountAt(own.stack.sqsUrl, own.stack.queues.deadLetterQueueUrl)).toBe(0);
  });
});

describe('over-long or malformed claims', () => {
  const firmId = newFirm();
  const cases: [string, () => Promise<string>, number][] = [
    ['a 300-character subject', () => signLocalToken({ role: 'advisor', firmId, sub: 's'.repeat(300) }), 401],
    ['a subject with a line break', () => signLocalToken({ role: 'advisor', firmId, sub: 'advisor\nforged' }), 401],
    ['a 300-character email', () => signLocalToken({ role: 'advisor', firmId, email: `${'e'.repeat(290)}@firm.test` }), 401],
    ['an email that is no address', () => signLocalToken({ role: 'advisor', firmId, email: 'not an address' }), 401],
    ['a thousand groups', () => signedToken({ 'cognito:groups': ['advisors', ...Array.from({ length: 1000 }, (_, i) => `g${i}`)], 'custom:firmId': firmId }, 'advisor-many-groups'), 401],
    ['a 2,000-character group', () => signedToken({ 'cognito:groups': ['advisors', 'g'.repeat(2000)], 'custom:firmId': firmId }, 'advisor-long-group'), 401],
    ['a 65-character firm id', () => signLocalToken({ role: 'advisor', firmId: 'f'.repeat(65) }), 403],
  ];

  it.each(cases)('refuse %s with the error envelope and write nothing', async (_label, token, status) => {
    const answer = await own.api('POST', '/households', { token: await token(), body: { name: 'Should not exist' } });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
    const listed = await own.api('GET', '/households', { token: await tokenFor('advisor', firmId) });
    expect(listed.body.items).toEqual([]);
  });
});

describe('the producer checks a ticket request with the consumer schema', () => {
  it('refuses to save an invitation whose ticket request the ops function would refuse, writing nothing', async () => {
    const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
    const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
    const firmId = newFirm();
    const advisor = await tokenFor('advisor', firmId);
    const householdId = (await own.api('POST', '/households', { token: advisor, body: { name: 'Producer Check' } })).body.household
      .householdId as string;
    const household = (await dynamoHouseholds.get(firmId, householdId))!;
    // A household name stored before its bound existed (or by a bug): longer than the message allows.
    const { change, next: invitation } = sent({
      household: { ...household, name: 'H'.repeat(300) },
      caller: { firmId, sub: 'advisor-producer' },
      client: { firstName: 'Pat', lastName: 'Producer', email: uniqueEmail('producer') },
      now: new Date(),
    });
    // The send transition owes the prospect's ticket request with the invitation.
    await expect(dynamoInvitations.create(change)).rejects.toMatchObject({ code: 'validation_error' });
    expect(await dynamoInvitations.get(firmId, householdId, invitation.invitationId)).toBeUndefined();
  });

  it('refuses to queue a message the ops function would refuse', async () => {
    const { sqsTicketQueue } = await import('../../lib/adapters/sqs.ts');
    const before = await visibleCountAt(own.stack.sqsUrl, own.stack.queues.queueUrl);
    const bad = { version: 1, ticketId: 'not-a-uuid', reason: 'no_account' } as never;
    await expect(sqsTicketQueue.send([bad])).rejects.toMatchObject({ code: 'validation_error' });
    expect(await visibleCountAt(own.stack.sqsUrl, own.stack.queues.queueUrl)).toBeLessThanOrEqual(before);
  });
});
