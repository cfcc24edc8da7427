// A need left out of the route table fails on the local stack, as it would in AWS, because each handler there sees
// only the environment its needs give it: here two functions run from copies of their specs with one need taken away.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { functions } from '../../infra/routes.ts';
import { logger } from '../../lib/logger.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

const { table: _table, ...householdReaderWithoutTable } = functions['get-household'].needs;
const { email: _email, ...resenderWithoutEmail } = functions['resend-invitation'].needs;

let own: OwnStack;
let advisor: string;
let householdId: string;

beforeAll(async () => {
  own = await startOwnStack({ needs: { 'get-household': householdReaderWithoutTable, 'resend-invitation': resenderWithoutEmail } });
  advisor = await tokenFor('advisor', newFirm());
  const created = await own.api('POST', '/households', { token: advisor, body: { name: 'Needs', accounts: [{ accountNumber: '12345678' }] } });
  householdId = created.body.household.householdId as string;
});
afterAll(() => own?.stop());

describe('a function missing a need on the local stack', () => {
  it('cannot name the table without `table`: the request fails and the log says what is missing', async () => {
    const logged = vi.spyOn(logger, 'error');
    try {
      const answer = await own.api('GET', `/households/${householdId}`, { token: advisor });
      expect(answer.status).toBe(500);
      expect(JSON.stringify(logged.mock.calls)).toContain('missing configuration TABLE_NAME');
    } finally {
      logged.mockRestore();
    }
    // The same household, read by a function whose needs are whole.
    expect((await own.api('GET', '/households', { token: advisor })).status).toBe(200);
  });

  it('cannot email without `email`: the link is reissued but never sent', async () => {
    const email = uniqueEmail('needs');
    const sent = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Nell', lastName: 'Needs', email },
    });
    expect(sent.status).toBe(201);
    await waitForMail(email, 1, own.stack.mailUrl);

    const resent = await own.api('POST', `/households/${householdId}/invitations/${sent.body.invitation.invitationId}/resend`, { token: advisor });
    expect(resent.status).toBe(502);
    expect(resent.body.error.code).toBe('email_send_failed');
    expect(await mailTo(email, own.stack.mailUrl)).toHaveLength(1);
  });
});
