import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documents } from '../../lib/adapters/dynamodb/client.ts';
import { ticketKey } from '../../lib/adapters/dynamodb/keys.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

// Found by `npm run load -- --faults`: effects that happened although the message saying so never arrived.
let own: OwnStack;
let firm: string;
let advisor: string;
let ops: string;

beforeAll(async () => {
  own = await startOwnStack();
  firm = newFirm();
  advisor = await tokenFor('advisor', firm);
  ops = await tokenFor('ops', firm);
}, 120_000);

afterAll(async () => {
  await own?.stop();
});

/** Lets the next write of an `entity` item reach the table, then loses its answer, as a connection reset by a dying DynamoDB would. */
const loseNextAnswer = (entity: 'household' | 'invitation') => {
  let armed = true;
  const writes = (input: Record<string, any>) =>
    input.Item?.entity === entity || (input.TransactItems ?? []).some((item: any) => item.Put?.Item?.entity === entity);
  documents.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      if (armed && writes(args.input as Record<string, any>)) {
        armed = false;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      return result;
    },
    { step: 'initialize', name: `lose-${entity}-answer-${Math.random()}` },
  );
};

describe('a household write whose answer was lost', () => {
  it('is answered 503, and the retry with the same key returns that household instead of making a second', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const name = `Lost Answer ${tag}`;
    const request = { token: advisor, body: { name }, headers: { 'idempotency-key': `lost-answer-${tag}` } };
    loseNextAnswer('household');
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

describe('an invitation write whose answer was lost', () => {
  const invite = async (householdId: string, email: string, key: string) =>
    own.api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Lou', lastName: 'Stanswer', email },
      headers: { 'idempotency-key': key },
    });

  it('is answered 503, and the retry with the same key returns that invitation, emailed once', async () => {
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Lost Invitation Household' } });
    const householdId = household.body.household.householdId as string;
    const email = uniqueEmail('lost-invite');
    const key = `lost-invite-${Math.random().toString(36).slice(2, 8)}`;
    loseNextAnswer('invitation');
    const first = await invite(householdId, email, key);
    expect(first.status).toBe(503);

    const retry = await invite(householdId, email, key);
    expect(retry.status).toBe(201);
    const again = await invite(householdId, email, key);
    expect(again.body.invitation.invitationId).toBe(retry.body.invitation.invitationId);
    const listed = await own.api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].invitationId).toBe(retry.body.invitation.invitationId);
    expect(listed.body.items[0].status).toBe('sent');

    // The link in the one email works; the first attempt's link, never emailed, does not matter.
    const mails = await waitForMail(email, 2, own.stack.mailUrl, 1_500);
    expect(mails).toHaveLength(1);
    expect((await own.api('GET', `/portal/invitations/${linkIn(mails[0]).token}`)).status).toBe(200);
    // The prospect's ticket, requested by the first attempt, is raised once.
    const ticketId = retry.body.invitation.verification.ticketId as string;
    await eventually(async () => ((await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status === 200 ? true : undefined));
    const tickets = await own.api('GET', `/ops/tickets?firmId=${firm}&limit=100`, { token: ops });
    expect(tickets.body.items.filter((t: { invitationId: string }) => t.invitationId === retry.body.invitation.invitationId)).toHaveLength(1);
  }, 30_000);

  it('records an email SES took although the table blinked, so no retry takes it for unsent and emails again', async () => {
    let failures = 2;
    documents.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as Record<string, any>;
        if (failures > 0 && /^SET #delivery = :v\d+, #updatedAt = :v\d+, #sentAt = /.test(String(input.UpdateExpression))) {
          failures -= 1;
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failDeliveryRecord' },
    );
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Blinking Record Household' } });
    const householdId = household.body.household.householdId as string;
    const email = uniqueEmail('blink-record');
    const first = await invite(householdId, email, `blink-record-${Math.random().toString(36).slice(2, 8)}`);
    expect(first.status).toBe(201);
    expect(failures).toBe(0);
    const listed = await own.api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(listed.body.items[0].sentAt).toBeDefined();
    expect(await waitForMail(email, 2, own.stack.mailUrl, 1_500)).toHaveLength(1);
  });

  it('refuses the key for a different invitation after the first one was saved', async () => {
    const household = await own.api('POST', '/households', { token: advisor, body: { name: 'Reused Key Household' } });
    const householdId = household.body.household.householdId as string;
    const key = `reused-${Math.random().toString(36).slice(2, 8)}`;
    loseNextAnswer('invitation');
    expect((await invite(householdId, uniqueEmail('first'), key)).status).toBe(503);
    const other = await invite(householdId, uniqueEmail('second'), key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
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

    const stored = await eventually(async () => {
      const { Item } = await documents.send(new GetCommand({ TableName: own.stack.tableName, Key: ticketKey(ticketId) }));
      return Item?.notifiedAt ? Item : undefined;
    }, 10_000);
    expect(failures).toBe(0);
    expect(stored.notifyLeaseUntil).toBeUndefined();
    const opsMail = (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
    expect(opsMail).toHaveLength(1);
  }, 30_000);
});

describe('a household retry with the same key but another body, after the answer was lost', () => {
  it('is refused 422 idempotency_key_reused instead of answering with the first household', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const key = { 'idempotency-key': `reused-household-${tag}` };
    loseNextAnswer('household');
    const first = await own.api('POST', '/households', { token: advisor, body: { name: `First ${tag}` }, headers: key });
    expect(first.status).toBe(503);
    for (const body of [
      { name: `Second ${tag}` },
      { name: `First ${tag}`, members: [{ firstName: 'Ann', lastName: 'Other', role: 'primary' }] },
      { name: `First ${tag}`, accounts: [{ accountNumber: '13571357' }] },
    ]) {
      const other = await own.api('POST', '/households', { token: advisor, body, headers: key });
      expect(other.status, JSON.stringify(body)).toBe(422);
      expect(other.body.error.code).toBe('idempotency_key_reused');
    }
    // The same body is still answered with the household the lost attempt saved.
    const retry = await own.api('POST', '/households', { token: advisor, body: { name: `First ${tag}` }, headers: key });
    expect(retry.status).toBe(201);
    expect(retry.body.household.name).toBe(`First ${tag}`);
  });
});
