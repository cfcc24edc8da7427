import { newFirm, tokenFor } from './api.ts';
import { linkIn, uniqueEmail, waitForMail } from './mail.ts';
import type { OwnStack } from './own-stack.ts';

/** A client household with one account, invited on a private stack; the link's token comes from the email. */
export const invitedClient = async (own: OwnStack, accountNumber: string, options: { firm?: string; advisorSub?: string } = {}) => {
  const firm = options.firm ?? newFirm();
  const advisor = await tokenFor('advisor', firm, options.advisorSub === undefined ? {} : { sub: options.advisorSub });
  const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Guarded', accounts: [{ accountNumber }] } });
  const householdId = household.body.household.householdId as string;
  const email = uniqueEmail('guarded');
  const invited = await own.api('POST', `/households/${householdId}/invitations`, {
    token: advisor,
    body: { firstName: 'Gu', lastName: 'Arded', email },
  });
  const { token } = linkIn((await waitForMail(email, 1, own.stack.mailUrl))[0]);
  return { firm, advisor, householdId, invitationId: invited.body.invitation.invitationId as string, email, token };
};
