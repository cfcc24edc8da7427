import { uniqueEmail } from './mail.ts';
import { sent } from './memory/fixtures.ts';

/**
 * What a Lambda killed right after its write leaves behind: a saved invitation whose email nobody sent or recorded.
 * The adapters are imported on call, once the test's stack has set the table's environment.
 */
export const crashedInvitation = async (firmId: string, householdId: string): Promise<string> => {
  const { dynamoHouseholds } = await import('../../lib/adapters/dynamodb/households.ts');
  const { dynamoInvitations } = await import('../../lib/adapters/dynamodb/invitations.ts');
  const { change, next } = sent({
    household: (await dynamoHouseholds.get(firmId, householdId))!,
    caller: { firmId, sub: 'advisor-crash' },
    client: { firstName: 'Cora', lastName: 'Crash', email: uniqueEmail('crash') },
    now: new Date(),
  });
  await dynamoInvitations.create(change);
  return next.invitationId;
};
