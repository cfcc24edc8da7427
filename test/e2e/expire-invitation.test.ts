// The expire transition's write on the real table, on its own (the decider is tested in
// test/unit/invitation-lifecycle.test.ts; the sweeper's schedule that runs it in test/e2e/scheduled-expiry.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expire } from '../../lib/domain/invitation-lifecycle.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// A private stack: the test writes through the repo's own adapters, which use this process's environment.
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack();
}, 120_000);

afterAll(() => own?.stop());

describe('expiring an invitation', () => {
  it("ends it for good: link dead, email free for a new invitation, the prospect's ticket cancelled", async () => {
    const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
    const { dynamoTickets } = await import('../../lib/adapters/dynamodb/tickets.ts');
    const firmId = newFirm();
    const advisor = await tokenFor('advisor', firmId);
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Expiring' } });
    const householdId = household.body.household.householdId as string;
    const client = { firstName: 'Ex', lastName: 'Pired', email: uniqueEmail('expire') };
    const invited = await own.api('POST', `/households/${householdId}/invitations`, { token: advisor, body: client });
    const { invitationId, verification } = invited.body.invitation;
    await eventually(async () => ((await dynamoTickets.get(verification.ticketId))?.status === 'open' ? true : undefined));

    const stored = (await dynamoInvitations.get(firmId, householdId, invitationId))!;
    const afterExpiry = new Date(Date.parse(stored.expiresAt) + 1);
    const { change } = expire(stored, afterExpiry);
    expect(await dynamoInvitations.apply(change)).toEqual({ ok: true });
    // Decided on the state it read: a second expiry of that copy finds it moved on and writes nothing.
    expect(await dynamoInvitations.apply(change)).toEqual({ ok: false, failed: 'invitation' });

    expect(await dynamoInvitations.get(firmId, householdId, invitationId)).toMatchObject({ state: 'expired', expiredAt: afterExpiry.toISOString() });
    expect(await dynamoInvitations.findByToken(stored.tokenHash)).toBeUndefined();
    expect(await dynamoTickets.get(verification.ticketId)).toMatchObject({ status: 'cancelled', note: 'invitation expired' });
    const listed = await own.api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(listed.body.items[0].status).toBe('expired');
    expect((await own.api('POST', `/households/${householdId}/invitations`, { token: advisor, body: client })).status).toBe(201);
  });
});
