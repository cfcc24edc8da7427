// Lifecycle events for integrations, end to end on the local stack: what the API does reaches a real subscriber (the
// events topic's SQS queue, as an EventBridge rule's target would in AWS), each event at least once and only after
// its change committed; deduped on the id, exactly the set the story made. A request that dies after its commit
// leaves its events owed, and the sweeper publishes them.
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { recorded, staffActor } from '../../lib/domain/audit.ts';
import { lifecycleEventDetail } from '../../lib/schemas/events.ts';
import { check } from '../../lib/schemas/validate.ts';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { deduped, subscriber, type Delivered } from '../support/lifecycle-events.ts';
import { eventually, linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { sent } from '../support/memory/fixtures.ts';
import { startOwnStack } from '../support/own-stack.ts';

const shared = subscriber(inject('sqsUrl'), inject('lifecycleEventsQueueUrl'));
afterAll(() => shared.close());

const types = (deliveries: Delivered[]) => deliveries.map((d) => d.detail.type).sort();

/** The household's audit trail as the API shows it. */
const trailOf = async (token: string, householdId: string) =>
  (await call('GET', `/households/${householdId}/events?limit=100`, { token })).body.items as { eventId: string; action: string }[];

describe('lifecycle events', () => {
  it("reach the subscriber for a prospect's story, each at least once, exactly the set once deduped, never for a refused change", async () => {
    const firm = newFirm();
    const advisor = await tokenFor('advisor', firm, { sub: 'advisor-lee', email: uniqueEmail('advisor'), firmName: 'Eastwind' });
    const ops = await tokenFor('ops', firm, { sub: 'ops-ada' });
    const householdId = (await call('POST', '/households', { token: advisor, body: { name: 'The Adichie Family' } })).body.household.householdId as string;
    const clientEmail = uniqueEmail('ngozi');
    const body = { firstName: 'Ngozi', lastName: 'Adichie', email: clientEmail };
    const invited = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body });
    // Refused changes write nothing, so publish nothing: a second live invitation, an account linked twice.
    expect((await call('POST', `/households/${householdId}/invitations`, { token: advisor, body })).status).toBe(409);
    const ticketId = invited.body.invitation.verification.ticketId as string;
    await eventually(async () => ((await call('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    expect((await call('POST', `/ops/tickets/${ticketId}/approve`, { token: ops, body: { evidence: { method: 'in_person' } } })).status).toBe(200);
    const { token } = linkIn((await waitForMail(clientEmail, 2))[1]);
    expect((await call('POST', `/portal/invitations/${token}/accept`)).status).toBe(200);
    expect((await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '11223344' } })).status).toBe(201);
    expect((await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '11223344' } })).status).toBe(409);

    const expected = ['household.converted', 'household.created', 'invitation.accepted', 'invitation.sent', 'ticket.decided', 'ticket.raised', 'verification.verified'];
    await eventually(async () => (deduped(await shared.of(firm)).length >= expected.length ? true : undefined));
    // A moment more, so that a late duplicate (the sweeper's repair of a publish it saw owed) would be counted too.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const all = await shared.of(firm);
    const once = deduped(all);
    expect(types(once)).toEqual(expected);
    expect(new Set(all.map((d) => d.detail.id))).toEqual(new Set(once.map((d) => d.detail.id)));

    // Each is an event of the trail, so of a committed change; in EventBridge's envelope; of schema version 1.
    const trail = await trailOf(advisor, householdId);
    for (const delivery of once) {
      expect(trail.find((event) => event.eventId === delivery.detail.id)?.action).toBe(delivery.detail.type);
      expect(delivery).toMatchObject({ source: 'portal-onboarding', 'detail-type': delivery.detail.type, time: delivery.detail.occurredAt });
      expect(check(lifecycleEventDetail, delivery.detail).success).toBe(true);
      expect(delivery.detail).toMatchObject({ version: 1, firmId: firm, householdId });
    }
    expect(once.find((d) => d.detail.type === 'ticket.decided')?.detail).toMatchObject({ ticketId, to: 'approved', actor: { sub: 'ops-ada', role: 'ops' } });
    const text = JSON.stringify(all);
    for (const personal of [clientEmail, 'Ngozi', 'Adichie', '11223344']) expect(text).not.toContain(personal);
  });

  it('tells of a bounce, and of self-service locked with the ticket it raised', async () => {
    const firm = newFirm();
    const advisor = await tokenFor('advisor', firm, { sub: 'advisor-kim', email: uniqueEmail('advisor') });
    const client = await call('POST', '/households', { token: advisor, body: { name: 'Clients', accounts: [{ accountNumber: '55667788' }] } });
    const householdId = client.body.household.householdId as string;
    const bounced = await call('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Bo', lastName: 'Unce', email: 'bounce@simulator.amazonses.com' },
    });
    const locking = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'Lo', lastName: 'Ck', email: uniqueEmail('lock') } });
    const { token } = linkIn((await waitForMail(locking.body.invitation.email))[0]);
    for (let attempt = 1; attempt <= 5; attempt += 1) await call('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: `0000000${attempt}` } });

    const once = await eventually(async () => {
      const found = deduped(await shared.of(firm));
      return found.length >= 6 ? found : undefined;
    });
    expect(types(once)).toEqual(['household.created', 'invitation.bounced', 'invitation.sent', 'invitation.sent', 'ticket.raised', 'verification.locked']);
    const locked = once.find((d) => d.detail.type === 'verification.locked')!.detail;
    expect(locked).toMatchObject({ invitationId: locking.body.invitation.invitationId, actor: { role: 'client' }, from: 'not_started', to: 'locked' });
    expect(once.find((d) => d.detail.type === 'ticket.raised')!.detail.ticketId).toBe(locked.ticketId);
    expect(once.find((d) => d.detail.type === 'invitation.bounced')!.detail).toMatchObject({ invitationId: bounced.body.invitation.invitationId, to: 'bounced' });
  });
});

describe('lifecycle events owed by a request that died after its commit', () => {
  it('are published by the sweeper, once the grace period is over; a change that failed publishes nothing', async () => {
    const own = await startOwnStack();
    const reader = subscriber(own.stack.sqsUrl, own.stack.lifecycleEvents.subscriberQueueUrl);
    try {
      const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
      const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
      const firm = newFirm();
      const advisor = await tokenFor('advisor', firm, { sub: 'advisor-crash' });
      // A client household: no ticket request follows the invitation, so its event is the only one owed.
      const created = await own.api('POST', '/households', { token: advisor, body: { name: 'Crashed', accounts: [{ accountNumber: '12121212' }] } });
      const householdId = created.body.household.householdId as string;
      await eventually(async () => ((await reader.of(firm)).length === 1 ? true : undefined));

      // A request that committed its invitation and died before publishing: the event is written, and owed.
      const household = (await dynamoHouseholds.get(firm, householdId))!;
      const invite = () => sent({ household, caller: { firmId: firm, sub: 'advisor-crash' }, client: { firstName: 'C', lastName: 'R', email: 'same@client.test' }, now: new Date() });
      const committed = recorded(invite().change, staffActor({ sub: 'advisor-crash' }, 'advisor'), 'request-that-died');
      await dynamoInvitations.create(committed);
      // A second send to the same email fails on the live-invitation lock: nothing is written, so nothing is owed.
      const refused = recorded(invite().change, staffActor({ sub: 'advisor-crash' }, 'advisor'), 'request-refused');
      await expect(dynamoInvitations.create(refused)).rejects.toMatchObject({ code: 'conflict' });

      expect(types(await reader.of(firm))).toEqual(['household.created']);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      await own.stack.runScheduled();
      const published = await eventually(async () => {
        const found = await reader.of(firm);
        return found.length >= 2 ? found : undefined;
      });
      expect(published.map((d) => [d.detail.type, d.detail.id])).toEqual([
        ['household.created', expect.any(String)],
        ['invitation.sent', committed.events[0]!.eventId],
      ]);
      // Published, it is owed no more: the next run publishes nothing again.
      await own.stack.runScheduled();
      expect(await reader.of(firm)).toHaveLength(2);
    } finally {
      reader.close();
      await own.stop();
    }
  }, 120_000);
});
