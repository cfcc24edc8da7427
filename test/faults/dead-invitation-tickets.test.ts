// Issue #10 item 2 (the ops function's half): a ticket request whose invitation is no longer live is filed
// cancelled, with a reason, and leaves the outbox; never an open ticket that approve and reject both refuse.
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invitation } from '../../lib/domain/invitation.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';
import { sent } from '../support/memory/fixtures.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let advisor: string;
let ops: string;
let firmId: string;

beforeAll(async () => {
  own = await startOwnStack();
  firmId = newFirm();
  advisor = await tokenFor('advisor', firmId, { firmName: 'Late Wealth' });
  ops = await tokenFor('ops', firmId, { sub: 'ops-late' });
}, 120_000);
afterAll(async () => own?.stop());

const household = async (accounts: { accountNumber: string }[] = []) =>
  (await own.api('POST', '/households', { token: advisor, body: { name: 'Late Household', accounts } })).body.household.householdId as string;

const invitationOf = async (householdId: string, invitationId: string): Promise<Invitation> => {
  const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
  return (await dynamoInvitations.get(firmId, householdId, invitationId))!;
};

/** Puts a ticket request in the outbox and on the queue, as a write that lost a race with the invitation's end would. */
const requestLate = async (request: TicketRequest) => {
  const { documents } = await import('../../lib/adapters/dynamodb/client.ts');
  const { ticketRequestPut } = await import('../../lib/adapters/dynamodb/invitation-items.ts');
  const { sqsTicketQueue } = await import('../../lib/adapters/sqs.ts');
  const put = ticketRequestPut(request, new Date().toISOString()).Put!;
  await documents.send(new PutCommand({ TableName: put.TableName, Item: put.Item }));
  await sqsTicketQueue.send([request]);
};

const outboxEntryOf = async (request: TicketRequest) => {
  const { documents } = await import('../../lib/adapters/dynamodb/client.ts');
  const { ticketRequestKey } = await import('../../lib/adapters/dynamodb/keys.ts');
  const found = await documents.send(
    new GetCommand({ TableName: own.stack.tableName, Key: ticketRequestKey(request.firmId, request.householdId, request.ticketId) }),
  );
  return found.Item;
};

const settledTicket = (ticketId: string) =>
  eventually(async () => {
    const answer = await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops });
    return answer.status === 200 ? answer.body.ticket : undefined;
  });

const opsMailFor = async (ticketId: string) =>
  (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((mail) => mail.body.text?.includes(ticketId));

describe('a ticket request that arrives after its invitation ended', () => {
  it('files a lock ticket of a revoked invitation as cancelled, clears the outbox and emails nobody', async () => {
    const { newId } = await import('../../lib/domain/ids.ts');
    const { ticketRequestFor } = await import('../../lib/domain/invitation.ts');
    const householdId = await household([{ accountNumber: '99887766' }]);
    const invited = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Rae', lastName: 'Revoked', email: uniqueEmail('revoked') },
    });
    const invitationId = invited.body.invitation.invitationId as string;
    const live = await invitationOf(householdId, invitationId);
    expect((await own.api('POST', `/households/${householdId}/invitations/${invitationId}/revoke`, { token: advisor })).status).toBe(200);
    // The fifth wrong number locked the copy revoke had read: its ticket request outlives the revoke.
    const locked = { ...live, verification: { ...live.verification, status: 'locked' as const, ticketId: newId() } };
    const request = ticketRequestFor(locked, 'verification_locked', new Date());
    await requestLate(request);

    const ticket = await settledTicket(request.ticketId);
    expect(ticket.status).toBe('cancelled');
    expect(ticket.note).toMatch(/revoked/);
    await eventually(async () => ((await outboxEntryOf(request)) === undefined ? true : undefined));
    expect(await opsMailFor(request.ticketId)).toHaveLength(0);
    // Decided once, for good: a cancelled ticket is never reopened by a decision.
    const reject = await own.api('POST', `/ops/tickets/${request.ticketId}/reject`, { token: ops, body: { reason: 'too late' } });
    expect(reject.status).toBe(409);
  });

  it('files the prospect ticket of an expired invitation as cancelled', async () => {
    const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
    const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
    const { ticketRequestFor } = await import('../../lib/domain/invitation.ts');
    const householdId = await household();
    const longAgo = new Date(Date.now() - 40 * 24 * 3_600_000);
    const { change, next: invitation } = sent({
      household: (await dynamoHouseholds.get(firmId, householdId))!,
      caller: { firmId, sub: 'advisor-late' },
      client: { firstName: 'Eve', lastName: 'Expired', email: uniqueEmail('expired') },
      now: longAgo,
    });
    // Saved without its ticket request, which comes late below.
    await dynamoInvitations.create({ ...change, ticketRequest: undefined });
    const request = ticketRequestFor(invitation, 'no_account', longAgo);
    await requestLate(request);

    const ticket = await settledTicket(request.ticketId);
    expect(ticket.status).toBe('cancelled');
    expect(ticket.note).toMatch(/expired/);
    await eventually(async () => ((await outboxEntryOf(request)) === undefined ? true : undefined));
    expect(await opsMailFor(request.ticketId)).toHaveLength(0);
  });

  it('leaves a ticket the revoke already cancelled as it is, and still clears the outbox', async () => {
    const householdId = await household();
    await own.stack.stopService('sqs');
    let invitationId: string;
    try {
      const invited = await own.api('POST', `/households/${householdId}/invitations`, {
        token: advisor,
        body: { firstName: 'Cal', lastName: 'Cancelled', email: uniqueEmail('cancelled') },
      });
      invitationId = invited.body.invitation.invitationId as string;
    } finally {
      await own.stack.startService('sqs');
    }
    const { ticketRequestFor } = await import('../../lib/domain/invitation.ts');
    const live = await invitationOf(householdId, invitationId);
    const request = ticketRequestFor(live, 'no_account', new Date(live.createdAt));
    expect((await own.api('POST', `/households/${householdId}/invitations/${invitationId}/revoke`, { token: advisor })).status).toBe(200);
    expect(await outboxEntryOf(request)).toBeUndefined();
    // A sweep that read the entry before the revoke re-queues it, and the outbox entry is written back.
    await requestLate(request);

    await eventually(async () => ((await outboxEntryOf(request)) === undefined ? true : undefined));
    const ticket = await settledTicket(request.ticketId);
    expect(ticket).toMatchObject({ status: 'cancelled', note: 'invitation revoked' });
    expect(await opsMailFor(request.ticketId)).toHaveLength(0);
  });
});
