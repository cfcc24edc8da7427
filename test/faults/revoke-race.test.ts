import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { dynamoInvitations } from '../../lib/adapters/dynamodb/invitations.ts';
import { invitationKey, ticketRequestKey } from '../../lib/adapters/dynamodb/keys.ts';
import { revokeInvitation } from '../../lib/use-cases/revoke-invitation.ts';
import { dynamoTickets } from '../../lib/adapters/dynamodb/tickets.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';
import { invitedClient } from '../support/invited-client.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// A private stack: the test reads and ages items through the repo's own adapters, which use this process's env.
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 1_000_000, wrongNumbers: 1_000_000 }, scheduleEveryMs: 500 });
}, 120_000);

afterAll(() => own?.stop());

const verify = (token: string, accountNumber: string) => own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber } });

describe('revoke racing the fifth wrong number', () => {
  it('never leaves a ticket open for a revoked invitation, whichever write lands first', async () => {
    const firm = newFirm();
    const ops = await tokenFor('ops', firm, { sub: 'ops-racer' });
    const clients = [];
    for (let round = 0; round < 20; round += 1) {
      const client = await invitedClient(own, '44556677', { firm });
      for (let i = 0; i < 4; i += 1) expect((await verify(client.token, `1000000${i}`)).status).toBe(422);
      // A different head start for revoke each round, so both orders (and the ones in between) happen.
      const [fifth, revoked] = await Promise.all([
        verify(client.token, '10000009'),
        sleep(round * 2).then(() =>
          own.api('POST', `/households/${client.householdId}/invitations/${client.invitationId}/revoke`, { token: client.advisor }),
        ),
      ]);
      expect([404, 423]).toContain(fifth.status);
      expect(revoked.status).toBe(200);
      // Revoke answered: if the lock got in first, its ticket is already cancelled, not left to the queue.
      const { verification } = (await dynamoInvitations.get(firm, client.householdId, client.invitationId))!;
      if (verification.ticketId !== undefined) {
        expect(await dynamoTickets.get(verification.ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation revoked' });
      }
      clients.push({ ...client, ticketId: verification.ticketId });
    }

    // Let the ops function drain the queue and the sweeper re-send whatever it still holds.
    await own.stack.runScheduled();
    await sleep(3_000);
    await own.stack.runScheduled();
    for (const { ticketId } of clients.filter((client) => client.ticketId !== undefined)) {
      const ticket = await eventually(() => dynamoTickets.get(ticketId!));
      expect(ticket.status).toBe('cancelled');
      const approve = await own.api('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { note: 'late', evidence: { method: 'phone' } } });
      expect(approve.status).toBe(409);
    }
    const open = await own.api('GET', `/ops/tickets?status=open&firmId=${firm}`, { token: ops });
    expect(open.body.items).toEqual([]);
  }, 120_000);

  it("cancels the lock's ticket when the lock lands between revoke's read and its write", async () => {
    const client = await invitedClient(own, '44556677');
    for (let i = 0; i < 4; i += 1) expect((await verify(client.token, `2000000${i}`)).status).toBe(422);
    let lockLanded = false;
    const invitations = {
      ...dynamoInvitations,
      // The revoke reads its copy, then the fifth wrong number locks before the revoke writes.
      async get(firmId: string, householdId: string, invitationId: string) {
        const copy = await dynamoInvitations.get(firmId, householdId, invitationId);
        if (!lockLanded) {
          lockLanded = true;
          expect((await verify(client.token, '20000009')).status).toBe(423);
        }
        return copy;
      },
    };
    const caller = { firmId: client.firm, sub: 'advisor-revoking', groups: ['advisors'] };
    const revoked = await revokeInvitation({ invitations, now: () => new Date(), requestId: 'revoke-race' }, caller, client);
    expect(revoked.status).toBe('revoked');

    const { verification } = (await dynamoInvitations.get(client.firm, client.householdId, client.invitationId))!;
    expect(verification).toMatchObject({ status: 'locked', ticketId: expect.any(String) });
    const ticketId = verification.ticketId!;
    expect(await dynamoTickets.get(ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation revoked' });
    const request = await documents.send(
      new GetCommand({ TableName: own.stack.tableName, Key: ticketRequestKey(client.firm, client.householdId, ticketId) }),
    );
    expect(request.Item).toBeUndefined();
    // The lock's queue message still arrives: the ops function must leave the ticket cancelled.
    await sleep(3_000);
    expect((await dynamoTickets.get(ticketId))?.status).toBe('cancelled');
  });

  it.each([
    ['revoked', { '#state': 'state' }, 'SET #state = :value', 'revoked'],
    ['expired', { '#at': 'expiresAt' }, 'SET #at = :value', '2000-01-01T00:00:00.000Z'],
  ])('cancels a ticket whose invitation was %s instead of leaving it undecidable', async (fate, names, update, value) => {
    const firm = newFirm();
    const advisor = await tokenFor('advisor', firm);
    const ops = await tokenFor('ops', firm, { sub: 'ops-decider' });
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Gone' } });
    const householdId = household.body.household.householdId as string;
    const invited = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Go', lastName: 'Ne', email: uniqueEmail('gone') },
    });
    const { invitationId, verification } = invited.body.invitation;
    await eventually(async () => ((await dynamoTickets.get(verification.ticketId))?.status === 'open' ? true : undefined));
    // The state a stale revoke left behind, or seven days nobody looked at the ticket.
    await documents.send(
      new UpdateCommand({
        TableName: own.stack.tableName,
        Key: invitationKey(firm, householdId, invitationId),
        UpdateExpression: update,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':value': value },
      }),
    );

    for (const decision of [
      ['approve', { note: 'too late', evidence: { method: 'phone' } }],
      ['reject', { reason: 'too late' }],
    ] as const) {
      const answer = await own.api('POST', `/ops/tickets/${verification.ticketId}/${decision[0]}`, { token: ops, body: decision[1] });
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('conflict');
      expect(answer.body.error.message).toMatch(/cancelled/);
    }
    expect(await dynamoTickets.get(verification.ticketId)).toMatchObject({ status: 'cancelled', note: `invitation ${fate}` });
  });
});
