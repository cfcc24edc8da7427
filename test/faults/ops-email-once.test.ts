// Issue #10 item 16: the ops email goes out once per ticket; recording it never outlives the invocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketStore } from '../../lib/domain/ports.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { mailTo, uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let advisor: string;
let firmId: string;
const opsEmail = 'ops-once@advisor-platform.test';

beforeAll(async () => {
  own = await startOwnStack();
  firmId = newFirm();
  advisor = await tokenFor('advisor', firmId, { firmName: 'Once Wealth' });
}, 120_000);
afterAll(async () => own?.stop());

/** A live prospect invitation and the ticket request it raised, taken from the outbox before SQS delivers it. */
const prospectRequest = async (): Promise<TicketRequest> => {
  await own.stack.stopService('sqs');
  try {
    const householdId = (await own.api('POST', '/households', { token: advisor, body: { name: 'Once Household' } })).body.household
      .householdId as string;
    const invited = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Olive', lastName: 'Once', email: uniqueEmail('once') },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;
    const { dynamoOutbox } = await import('../../lib/adapters/dynamodb/outbox.ts');
    const due = await dynamoOutbox.due(new Date(Date.now() + 3_600_000).toISOString(), 100);
    return due.find((entry) => entry.ticketRequest?.ticketId === ticketId)!.ticketRequest!;
  } finally {
    await own.stack.startService('sqs');
  }
};

const opsMailFor = async (ticketId: string) =>
  (await mailTo(opsEmail, own.stack.mailUrl)).filter((mail) => mail.body.text?.includes(ticketId));

const depsWith = async (tickets: TicketStore, remainingMs?: () => number) => {
  const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
  const { sesMailer } = await import('../../lib/adapters/ses.ts');
  return {
    tickets,
    invitations: dynamoInvitations,
    mailer: sesMailer,
    opsEmail: () => opsEmail,
    portalUrl: () => own.stack.apiUrl,
    now: () => new Date(),
    requestId: 'message-1',
    ...(remainingMs ? { remainingMs } : {}),
  };
};

describe('recording the ops email', () => {
  it('gives up before the invocation runs out of time, and the redelivery that follows sends no second email (the email went out; only its record failed)', async () => {
    const { dynamoTickets } = await import('../../lib/adapters/dynamodb/tickets.ts');
    const { raiseVerificationTicket } = await import('../../lib/use-cases/raise-verification-ticket.ts');
    const request = await prospectRequest();
    // The invocation's clock (the ops function has 30 s): each failed record attempt costs it 8 s.
    let remaining = 30_000;
    const startedWith: number[] = [];
    const failingRecord: TicketStore = {
      ...dynamoTickets,
      async apply(change) {
        const recordsTheEmail = change.write !== undefined && 'set' in change.write && change.write.set.notifiedAt !== undefined;
        if (!recordsTheEmail) return dynamoTickets.apply(change);
        startedWith.push(remaining);
        remaining -= 8_000;
        throw new Error('table unavailable');
      },
    };
    await expect(raiseVerificationTicket(await depsWith(failingRecord, () => remaining), request)).rejects.toThrow();
    // No record attempt started with less left than one table call can take (10 s); today's 20 s loop ignored the deadline.
    expect(startedWith.length).toBeGreaterThanOrEqual(1);
    expect(Math.min(...startedWith)).toBeGreaterThanOrEqual(10_000);
    expect(startedWith.length).toBeLessThanOrEqual(3);
    expect(await opsMailFor(request.ticketId)).toHaveLength(1);

    // The queue redelivers within the notification lease: another delivery may not send while the lease is held.
    await raiseVerificationTicket(await depsWith(dynamoTickets), request);
    expect(await opsMailFor(request.ticketId)).toHaveLength(1);
    const ticket = await dynamoTickets.get(request.ticketId);
    expect(ticket?.status).toBe('open');
  });

  it('a delivery after the send was recorded emails nobody again', async () => {
    const { dynamoTickets } = await import('../../lib/adapters/dynamodb/tickets.ts');
    const { raiseVerificationTicket } = await import('../../lib/use-cases/raise-verification-ticket.ts');
    const request = await prospectRequest();
    const deps = await depsWith(dynamoTickets, () => 30_000);
    expect(await raiseVerificationTicket(deps, request)).toBe('created');
    await Promise.all([raiseVerificationTicket(deps, request), raiseVerificationTicket(deps, request)]);
    expect(await opsMailFor(request.ticketId)).toHaveLength(1);
  });

  it('sends nothing when too little time is left to send and record, and the next delivery sends it once', async () => {
    const { dynamoTickets } = await import('../../lib/adapters/dynamodb/tickets.ts');
    const { raiseVerificationTicket } = await import('../../lib/use-cases/raise-verification-ticket.ts');
    const request = await prospectRequest();
    await expect(raiseVerificationTicket(await depsWith(dynamoTickets, () => 3_000), request)).rejects.toThrow(/too little time/);
    expect(await opsMailFor(request.ticketId)).toHaveLength(0);
    expect(await raiseVerificationTicket(await depsWith(dynamoTickets, () => 30_000), request)).toBe('duplicate');
    expect(await opsMailFor(request.ticketId)).toHaveLength(1);
  });
});
