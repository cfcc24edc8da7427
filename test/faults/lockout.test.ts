import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoInvitations } from '../../lib/adapters/dynamodb/invitations.ts';
import { invitedClient } from '../support/invited-client.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// Real per-source limits (the shared stack's are sky-high), so a stack of its own; every request comes from 127.0.0.1.
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 20, wrongNumbers: 20 } });
}, 120_000);

afterAll(() => own?.stop());

const verify = (token: string, accountNumber: string) => own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber } });

const stored = async (client: { firm: string; householdId: string; invitationId: string }) =>
  (await dynamoInvitations.get(client.firm, client.householdId, client.invitationId))!.verification;

describe('the five-try lockout under attack', () => {
  it('refuses the right number after a burst of wrong ones and sequential throttled guesses', async () => {
    const client = await invitedClient(own, '5500-7788-9911');
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => verify(client.token, `${90000000 + i}`)));
    const sequential = [];
    for (let i = 0; i < 15; i += 1) sequential.push(await verify(client.token, `${80000000 + i}`));
    const statuses = [...burst, ...sequential].map((answer) => answer.status);

    // Four wrong numbers are answered as wrong; the fifth locks; everything else never reaches a compare.
    expect(statuses.filter((status) => status === 422)).toHaveLength(4);
    expect(statuses.every((status) => [422, 423, 429].includes(status))).toBe(true);
    expect((await stored(client)).wrongAttempts).toBeLessThanOrEqual(5);

    const right = await verify(client.token, '550077889911');
    expect(right.status).toBe(423);
    expect(right.body.error.code).toBe('locked');
    expect((await own.api('POST', `/portal/invitations/${client.token}/accept`)).status).toBe(409);
    expect((await own.api('GET', `/portal/invitations/${client.token}`)).body.invitation.verification.status).toBe('locked');
  });

  it('never compares for a throttled source: the right number is 429 and no attempt is spent', async () => {
    // Four wrong numbers per decoy, so no decoy locks: a locked link answers 423 without a compare, and so without
    // counting, which would leave the source under its limit however often it is tried.
    const decoys = await Promise.all(Array.from({ length: 7 }, () => invitedClient(own, '11223344')));
    const victim = await invitedClient(own, '66554433');
    let throttled = false;
    for (let i = 0; i < 28 && !throttled; i += 1) {
      throttled = (await verify(decoys[Math.floor(i / 4)]!.token, `${70000000 + i}`)).status === 429;
    }
    expect(throttled).toBe(true);

    const right = await verify(victim.token, '66554433');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('rate_limited');
    expect(await stored(victim)).toMatchObject({ status: 'not_started', wrongAttempts: 0 });
  });
});
