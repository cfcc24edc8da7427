import { describe, expect, it } from 'vitest';
import { call, newFirm, tokenFor } from '../support/api.ts';
import { linkIn, uniqueEmail, waitForMail } from '../support/mail.ts';

// A full account number is never returned: numbers too short to hide behind their last four are refused.
describe('account numbers in answers', () => {
  it('refuses numbers of 4 and 5 characters on create, link and verify, writing nothing', async () => {
    const advisor = await tokenFor('advisor', newFirm());
    for (const short of ['1234', '12345', '12-345', 'AB 12']) {
      const created = await call('POST', '/households', { token: advisor, body: { name: 'Short', accounts: [{ accountNumber: short }] } });
      expect(created.status).toBe(400);
      expect(created.body.error).toMatchObject({ code: 'validation_error', details: [{ path: 'body.accounts.0.accountNumber' }] });
      expect(created.body.error.details[0].message).toMatch(/6 to 34/);
    }
    expect((await call('GET', '/households', { token: advisor })).body.items).toEqual([]);

    const prospect = await call('POST', '/households', { token: advisor, body: { name: 'Prospect' } });
    const householdId = prospect.body.household.householdId as string;
    const linked = await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '9876' } });
    expect(linked.status).toBe(400);
    expect((await call('GET', `/households/${householdId}`, { token: advisor })).body.household).toMatchObject({ status: 'prospect', accounts: [] });

    expect((await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber: '445566' } })).status).toBe(201);
    const email = uniqueEmail('short');
    await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: { firstName: 'S', lastName: 'Hort', email } });
    const { token } = linkIn((await waitForMail(email))[0]);
    const verify = await call('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: '5566' } });
    expect(verify.status).toBe(400);
    // A refused short number spends none of the five attempts.
    const wrong = await call('POST', `/portal/invitations/${token}/verify`, { body: { accountNumber: '112233' } });
    expect(wrong.body.error.details[0].attemptsLeft).toBe(4);
  });

  it('never answers with a whole number, at the shortest length allowed and longer', async () => {
    const advisor = await tokenFor('advisor', newFirm());
    const numbers = ['305172', '4061839', 'Z9Y8X7W6', '73-10-20-46'];
    const created = await call('POST', '/households', { token: advisor, body: { name: 'Long enough', accounts: numbers.slice(0, 2).map((accountNumber) => ({ accountNumber })) } });
    expect(created.status).toBe(201);
    const householdId = created.body.household.householdId as string;
    const answers = [created];
    for (const accountNumber of numbers.slice(2)) {
      answers.push(await call('POST', `/households/${householdId}/accounts`, { token: advisor, body: { accountNumber } }));
    }
    answers.push(await call('GET', `/households/${householdId}`, { token: advisor }), await call('GET', '/households', { token: advisor }));
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      for (const number of numbers) expect(answer.text).not.toContain(number.replace(/-/g, ''));
    }
    expect(answers.at(-2)!.body.household.accounts.map((account: { last4: string }) => account.last4)).toEqual(['5172', '1839', 'X7W6', '2046']);
  });
});
