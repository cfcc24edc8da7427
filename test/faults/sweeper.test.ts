// Issue #10 item 4: the outbox sweeper handles each entry alone, backs off, and sets aside what keeps failing.
// The sweeper runs with a clock the test moves, so nothing here waits for real time to pass.
import { spawnSync } from 'node:child_process';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFirm, tokenFor } from '../support/api.ts';
import { crashedInvitation as savedButNeverSent } from '../support/crashed-invitation.ts';
import { uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let advisor: string;
let firmId: string;
const hour = 60 * 60 * 1000;

beforeAll(async () => {
  own = await startOwnStack();
  firmId = newFirm();
  advisor = await tokenFor('advisor', firmId, { firmName: 'Sweeper Wealth' });
}, 120_000);
afterAll(async () => own?.stop());

const adapters = async () => ({
  ...(await import('../../lib/adapters/dynamodb/outbox.ts')),
  ...(await import('../../lib/adapters/dynamodb/invitations.ts')),
  ...(await import('../../lib/adapters/dynamodb/tickets.ts')),
  ...(await import('../../lib/adapters/sqs.ts')),
  ...(await import('../../lib/use-cases/sweep-outbox.ts')),
});

/** A sweep as the scheduled function runs it, at the time the test chooses, with small retry settings. */
const sweepAt = async (at: Date, maxAttempts = 3) => {
  const { dynamoOutbox, dynamoInvitations, dynamoTickets, sqsTicketQueue, sweepOutbox } = await adapters();
  return sweepOutbox({
    outbox: dynamoOutbox,
    ticketQueue: sqsTicketQueue,
    invitations: dynamoInvitations,
    tickets: dynamoTickets,
    now: () => at,
    graceMs: () => 1_000,
    retry: () => ({ maxAttempts, firstDelayMs: 1_000, maxDelayMs: 10_000 }),
  } as never);
};

const household = async (accounts: { accountNumber: string }[] = []) =>
  (await own.api('POST', '/households', { token: advisor, body: { name: 'Sweeper Household', accounts } })).body.household.householdId as string;

/** A household whose invitation was saved by a Lambda killed before it emailed. */
const crashedInvitation = async () => {
  const householdId = await household([{ accountNumber: '12344321' }]);
  return { householdId, invitationId: await savedButNeverSent(firmId, householdId) };
};

const statusOf = async (householdId: string, invitationId: string) => {
  const listed = await own.api('GET', `/households/${householdId}/invitations`, { token: advisor });
  return listed.body.items.find((item: { invitationId: string }) => item.invitationId === invitationId)?.status as string;
};

describe('one bad outbox entry', () => {
  it('does not stop the others: a poisoned ticket request is set aside and the unanswered email is still marked send_failed', async () => {
    const { documents } = await import('../../lib/adapters/dynamodb/client.ts');
    const { dynamoOutbox } = await adapters();
    // A ticket request without its request (a bug, a partial restore): the first entry of the outbox.
    const poisonKey = { pk: `FIRM#${firmId}#HH#poison`, sk: 'OUTBOX#TICKET#poison' };
    await documents.send(
      new PutCommand({
        TableName: own.stack.tableName,
        Item: { ...poisonKey, entity: 'ticket-request', gsi3pk: 'OUTBOX', gsi3sk: '2000-01-01T00:00:00.000Z#TICKET#poison' },
      }),
    );
    const crashed = await crashedInvitation();
    expect(await statusOf(crashed.householdId, crashed.invitationId)).toBe('sent');

    await sweepAt(new Date(Date.now() + hour));

    expect(await statusOf(crashed.householdId, crashed.invitationId)).toBe('send_failed');
    const stuck = await dynamoOutbox.stuck(100);
    expect(stuck.map((entry) => entry.itemKey)).toContainEqual(poisonKey);
    const due = await dynamoOutbox.due(new Date(Date.now() + 1000 * hour).toISOString(), 100);
    expect(due.map((entry) => entry.itemKey)).not.toContainEqual(poisonKey);
  });
});

describe('an SQS outage', () => {
  it('still marks unanswered emails send_failed, and backs the unqueued ticket request off', async () => {
    const { dynamoOutbox } = await adapters();
    const householdId = await household();
    const crashed = await crashedInvitation();
    await own.stack.stopService('sqs');
    try {
      const invited = await own.api('POST', `/households/${householdId}/invitations`, {
        token: advisor,
        body: { firstName: 'Sid', lastName: 'Queue', email: uniqueEmail('sqs-down') },
      });
      expect(invited.status).toBe(201);
      const ticketId = invited.body.invitation.verification.ticketId as string;
      const at = new Date(Date.now() + hour);

      const result = await sweepAt(at);

      expect(await statusOf(crashed.householdId, crashed.invitationId)).toBe('send_failed');
      expect(result.failed).toBeGreaterThanOrEqual(1);
      // Backed off: not due again at the same moment, due again once the longest delay has passed.
      const dueNow = await dynamoOutbox.due(at.toISOString(), 100);
      expect(dueNow.map((entry) => entry.ticketRequest?.ticketId)).not.toContain(ticketId);
      const dueLater = await dynamoOutbox.due(new Date(at.getTime() + 11_000).toISOString(), 100);
      expect(dueLater.find((entry) => entry.ticketRequest?.ticketId === ticketId)?.attempts).toBe(1);
    } finally {
      await own.stack.startService('sqs');
    }
  });
});

describe('an entry that keeps failing', () => {
  it('is set aside as stuck after the try limit, listed for ops, and no longer retried', async () => {
    const { dynamoOutbox } = await adapters();
    const householdId = await household();
    await own.stack.stopService('sqs');
    let ticketId: string;
    try {
      const invited = await own.api('POST', `/households/${householdId}/invitations`, {
        token: advisor,
        body: { firstName: 'Stu', lastName: 'Stuck', email: uniqueEmail('stuck') },
      });
      ticketId = invited.body.invitation.verification.ticketId as string;
      let at = Date.now() + hour;
      for (let sweep = 0; sweep < 3; sweep += 1) {
        await sweepAt(new Date(at));
        at += hour;
      }
    } finally {
      await own.stack.startService('sqs');
    }
    const stuck = (await dynamoOutbox.stuck(100)).find((entry) => entry.ticketRequest?.ticketId === ticketId);
    expect(stuck).toMatchObject({ kind: 'ticket_request', attempts: 3 });
    const due = await dynamoOutbox.due(new Date(Date.now() + 1000 * hour).toISOString(), 100);
    expect(due.map((entry) => entry.ticketRequest?.ticketId)).not.toContain(ticketId);
    const result = await sweepAt(new Date(Date.now() + 1000 * hour));
    expect(result.stuck).toBeGreaterThanOrEqual(1);

    // Ops list it with the script the stuck alarm names, and return it once the cause is fixed.
    const listed = spawnSync('npx', ['tsx', 'infra/ops/outbox-stuck.ts', '--table', own.stack.tableName, '--retry'], { encoding: 'utf8', env: process.env });
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ticketId?: string; attempts: number; returned: boolean });
    expect(lines.find((line) => line.ticketId === ticketId)).toMatchObject({ attempts: 3, returned: true });
    const returned = (await dynamoOutbox.due(new Date(Date.now() + hour).toISOString(), 100)).find((entry) => entry.ticketRequest?.ticketId === ticketId);
    expect(returned?.attempts).toBe(0);
  });
});
