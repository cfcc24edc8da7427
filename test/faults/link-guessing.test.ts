import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken } from '../../lib/domain/token.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let advisor: string;

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 5, wrongNumbers: 3 } });
  advisor = await tokenFor('advisor', newFirm());
}, 120_000);

afterAll(() => own?.stop());

const invitedClient = async () => {
  const household = await own.api('POST', '/households', {
    token: advisor,
    body: { name: 'Guessing', accounts: [{ accountNumber: '12121212' }] },
  });
  const email = uniqueEmail('guess');
  await own.api('POST', `/households/${household.body.household.householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'G', lastName: 'H', email },
  });
  return linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]).token;
};

describe('link guessing is throttled', () => {
  it('answers unknown and malformed links alike, then 429 once a source opens too many dead links', async () => {
    const valid = await invitedClient();
    const unknown = await own.api('GET', `/portal/invitations/${newToken()}`);
    const malformed = await own.api('GET', '/portal/invitations/short');
    expect(unknown.status).toBe(404);
    expect(malformed.body).toEqual(unknown.body);

    for (let i = 0; i < 3; i += 1) expect((await own.api('GET', `/portal/invitations/${newToken()}`)).status).toBe(404);
    const throttled = await own.api('GET', `/portal/invitations/${newToken()}`);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('rate_limited');
    expect((await own.api('POST', `/portal/invitations/${newToken()}/accept`)).status).toBe(429);

    // A client with a real link is never locked out by someone guessing from the same network.
    expect((await own.api('GET', `/portal/invitations/${valid}`)).status).toBe(200);
  });

  it('throttles wrong account numbers across invitations from one source', async () => {
    const first = await invitedClient();
    const second = await invitedClient();
    const wrong = (token: string) => own.api('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: '99999999' } });
    expect((await wrong(first)).status).toBe(422);
    expect((await wrong(first)).status).toBe(422);
    expect((await wrong(second)).status).toBe(422);
    const fourth = await wrong(second);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('rate_limited');
  });
});
