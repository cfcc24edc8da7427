import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { ticketKey } from '../../lib/adapters/dynamodb/keys.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, mailTo, uniqueEmail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// Found by `npm run load -- --faults`: effects that happened although the message saying so never arrived.
let own: OwnStack;
let advisor: string;
let ops: string;

beforeAll(async () => {
  own = await startOwnStack();
  const firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  ops = await tokenFor('ops', firm);
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

/** Lets the next household write reach the table, then loses its answer, as a connection reset by a dying DynamoDB would. */
const loseNextHouseholdAnswer = () => {
  let armed = true;
  const writesHousehold = (input: Record<string, any>) =>
    input.Item?.entity === 'household' || (input.TransactItems ?? []).some((item: any) => item.Put?.Item?.entity === 'household');
  documents.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      if (armed && writesHousehold(args.input as Record<string, any>)) {
        armed = false;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    },
    { step: 'initialize', name: `loseHouseholdAnswer-${Math.random()}` },
  );
};

describe('a household write whose answer was lost', () => {
  it('is answered 503, and the retry with the same key returns that household instead of making a second', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const name = `Lost Answer ${tag}`;
    const request = { token: advisor, body: { name }, headers: { 'idempotency-key': `lost-answer-${tag}` } };
    loseNextHouseholdAnswer();
    const first = await own.api('POST', '/households', request);
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('service_unavailable');

    const retry = await own.api('POST', '/households', request);
    expect(retry.status).toBe(201);
    const listed = await own.api('GET', '/households?limit=100', { token: advisor });
    const mine = listed.body.items.filter((h: { name: string }) => h.name === name);
    expect(mine).toHaveLength(1);
    expect(mine[0].householdId).toBe(retry.body.household.householdId);
  });
});

describe('a ticket request lost by the queue after its ticket was made', () => {
  it('still gets its ops email, once, through the outbox sweeper', async () => {
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Lost Message Household' } });
    const householdId = household.body.household.householdId as string;
    await own.stack.stopService('ses');
    const invited = await own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Mia', lastName: 'Ssage', email: uniqueEmail('lost-message') },
    });
    expect(invited.body.error.code).toBe('email_send_failed');
    const listed = await own.api('GET', `/households/${householdId}/invitations`, { token: advisor });
    const ticketId = listed.body.items[0].verification.ticketId as string;

    // The ops function makes the ticket, cannot email ops (SES is down), and leaves the message to be retried...
    await eventually(async () => ((await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    // ...which the queue then loses, as SQS does here when it restarts; a delivery already in flight fails too.
    await own.stack.stopService('sqs');
    await own.stack.startService('sqs');
    await sleep(3_000);
    await own.stack.startService('ses');

    const opsMail = async () => (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
    await sleep(1_200);
    await own.stack.runScheduled();
    await eventually(async () => ((await opsMail()).length > 0 ? true : undefined), 10_000);

    // Once ops are told, nothing is owed: sweeping again sends nothing more.
    await sleep(1_200);
    await own.stack.runScheduled();
    await sleep(2_500);
    expect(await opsMail()).toHaveLength(1);
  }, 60_000);
});

describe('an ops email whose record fails right after it went out', () => {
  it('is recorded once the table answers again, so the sweeper does not send it a second time', async () => {
    let failures = 2;
    documents.middlewareStack.add(
      (next) => async (args) => {
        const items = ((args.input as Record<string, any>).TransactItems ?? []) as any[];
        if (failures > 0 && items.some((item) => String(item.Update?.UpdateExpression).includes('notifiedAt'))) {
          failures -= 1;
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failNotificationRecord' },
    );
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Blink Household' } });
    const invited = await own.api('POST', `/households/${household.body.household.householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Bea', lastName: 'Blink', email: uniqueEmail('blink') },
    });
    const ticketId = invited.body.invitation.verification.ticketId as string;
    const firmId = JSON.parse(Buffer.from(advisor.split('.')[1]!, 'base64url').toString())['custom:firmId'] as string;

    const stored = await eventually(async () => {
      const { Item } = await documents.send(new GetCommand({ TableName: own.stack.tableName, Key: ticketKey(firmId, ticketId) }));
      return Item?.notifiedAt ? Item : undefined;
    }, 10_000);
    expect(failures).toBe(0);
    expect(stored.notifyLeaseUntil).toBeUndefined();
    const opsMail = (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
    expect(opsMail).toHaveLength(1);
  }, 30_000);
});
