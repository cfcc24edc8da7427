import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken } from '../../lib/domain/token.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// The page shares the JSON routes' per-source throttle; this needs low limits, so a stack of its own.
let own: OwnStack;

beforeAll(async () => {
  own = await startOwnStack({ throttle: { deadLinks: 3, wrongNumbers: 2 } });
}, 120_000);

afterAll(() => own?.stop());

const page = (path: string, body?: string) =>
  own.api(body === undefined ? 'GET' : 'POST', path, {
    ...(body === undefined ? {} : { rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  });

describe('the invite page under link guessing', () => {
  it('answers 429 with a page once a source has opened too many dead links, and the JSON route agrees', async () => {
    const advisor = await tokenFor('advisor', newFirm());
    const household = await own.api('POST', '/households', {
      token: advisor,
      body: { name: 'Guessed', accounts: [{ accountNumber: '31313131' }] },
    });
    const email = uniqueEmail('guessed');
    await own.api('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'G', lastName: 'S', email },
    });
    const { token } = linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]);

    for (let i = 0; i < 3; i += 1) expect((await page(`/invite/${newToken()}`)).status).toBe(404);
    const throttled = await page(`/invite/${newToken()}`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(throttled.headers.get('retry-after')).toBe('60');
    expect(throttled.text).toContain('Please wait a few minutes');
    expect((await own.api('GET', `/portal/invitations/${newToken()}`)).status).toBe(429);
    expect((await page(`/invite/${newToken()}/verify`, 'accountNumber=12345678')).status).toBe(429);

    // Someone guessing from the same network never locks a client with a real link out of their page.
    expect((await page(`/invite/${token}`)).status).toBe(200);

    // Wrong numbers are throttled per source too, on top of the five-per-invitation lock.
    expect((await page(`/invite/${token}/verify`, 'accountNumber=99999999')).status).toBe(422);
    expect((await page(`/invite/${token}/verify`, 'accountNumber=99999999')).status).toBe(422);
    const tooMany = await page(`/invite/${token}/verify`, 'accountNumber=99999999');
    expect(tooMany.status).toBe(429);
    expect(tooMany.text).toContain('too many attempts from your network');
  });
});
