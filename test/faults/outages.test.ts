import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOnFreePorts, type LocalStack } from '../../infra/local/stack.ts';
import { call, newFirm, tokenFor, type CallOptions } from '../support/api.ts';
import { crashedInvitation } from '../support/crashed-invitation.ts';
import { eventually, linkIn, mailTo, uniqueEmail, waitForMail } from '../support/mail.ts';

// This file runs its own stack in this process, so it can stop and start each service mid-flow.
let stack: LocalStack;
let dataDir: string;
let advisor: string;
let ops: string;

const api = (method: string, path: string, options: CallOptions = {}) => call(method, path, { ...options, baseUrl: stack.apiUrl });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'portal-faults-'));
  stack = await startOnFreePorts({
    dataDir,
    visibilityTimeoutSeconds: 2,
    outboxGraceSeconds: 1,
    scheduleEveryMs: 3_600_000,
  });
  const firm = newFirm();
  advisor = await tokenFor('advisor', firm, { firmName: 'Fault Tolerant Wealth' });
  ops = await tokenFor('ops', firm);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const household = async (accounts: { accountNumber: string }[] = []) =>
  (await api('POST', '/households', { token: advisor, body: { name: 'Outage Household', accounts } })).body.household.householdId as string;

describe('a dead SES endpoint', () => {
  it('leaves the invitation send_failed with a 502, and a later resend works', async () => {
    const householdId = await household([{ accountNumber: '77778888' }]);
    const email = uniqueEmail('ses-down');
    await stack.stopService('ses');
    const failed = await api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Ada', lastName: 'Down', email },
    });
    await stack.startService('ses');
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('email_send_failed');
    const invitationId = failed.body.error.details[0].invitationId as string;

    const listed = await api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(listed.body.items).toEqual([expect.objectContaining({ invitationId, status: 'send_failed' })]);

    const resent = await api('POST', `/households/${householdId}/invitations/${invitationId}/resend`, { token: advisor });
    expect(resent.status).toBe(200);
    expect(resent.body.invitation.status).toBe('sent');
    const link = linkIn((await waitForMail(email, 1, stack.mailUrl))[0]);
    expect((await api('GET', `/portal/invitations/${link.token}`)).status).toBe(200);
  });
});

describe('a dead SQS endpoint', () => {
  it('still creates the invitation, and the sweeper raises the ticket once SQS is back', async () => {
    const householdId = await household();
    const email = uniqueEmail('sqs-down');
    await stack.stopService('sqs');
    const invited = await api('POST', `/households/${householdId}/invitations`, {
      token: advisor,
      body: { firstName: 'Sid', lastName: 'Queue', email },
    });
    expect(invited.status).toBe(201);
    const ticketId = invited.body.invitation.verification.ticketId as string;
    expect((await api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status).toBe(404);

    // The sweeper can't reach SQS either: it fails quietly and leaves the request in the outbox.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await expect(stack.runScheduled()).rejects.toThrow();

    // SQS comes back empty, as after a crash; the outbox still knows what is owed.
    await stack.startService('sqs');
    // The failed try backed the entry off (up to one grace period): sweep until it is due again.
    const ticket = await eventually(async () => {
      await stack.runScheduled();
      const answer = await api('GET', `/ops/tickets/${ticketId}`, { token: ops });
      return answer.status === 200 ? answer.body.ticket : undefined;
    });
    expect(ticket).toMatchObject({ status: 'open', client: { email } });
    // The ticket is written before ops are emailed, so the email may still be on its way.
    const opsMail = await eventually(async () => {
      const sent = (await mailTo('ops@advisor-platform.test', stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
      return sent.length > 0 ? sent : undefined;
    });
    expect(opsMail).toHaveLength(1);

    // Once the ticket exists the outbox entry is gone: sweeping again queues nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await stack.runScheduled();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await mailTo('ops@advisor-platform.test', stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId))).toHaveLength(1);
  });
});

describe('a dead DynamoDB endpoint', () => {
  it('answers 503 service_unavailable, never 500, and keeps the data through a restart', async () => {
    const householdId = await household();
    await stack.stopService('dynamodb');
    const create = await api('POST', '/households', { token: advisor, body: { name: 'During outage' } });
    const read = await api('GET', `/households/${householdId}`, { token: advisor });
    await stack.startService('dynamodb');
    expect(create.status).toBe(503);
    expect(create.body.error.code).toBe('service_unavailable');
    expect(read.status).toBe(503);
    const after = await api('GET', `/households/${householdId}`, { token: advisor });
    expect(after.status).toBe(200);
    const names = (await api('GET', '/households?limit=100', { token: advisor })).body.items.map((h: { name: string }) => h.name);
    expect(names).not.toContain('During outage');
  }, 90_000);
});

describe('a crash between saving an invitation and emailing it', () => {
  it('is repaired by the sweeper: the invitation shows send_failed, so the advisor can resend', async () => {
    const householdId = await household([{ accountNumber: '55556666' }]);
    const firmId = JSON.parse(Buffer.from(advisor.split('.')[1]!, 'base64url').toString())['custom:firmId'] as string;
    const invitationId = await crashedInvitation(firmId, householdId);
    const before = await api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(before.body.items[0].status).toBe('sent');

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await stack.runScheduled();
    const after = await api('GET', `/households/${householdId}/invitations`, { token: advisor });
    expect(after.body.items[0].status).toBe('send_failed');
    const resent = await api('POST', `/households/${householdId}/invitations/${invitationId}/resend`, { token: advisor });
    expect(resent.body.invitation.status).toBe('sent');
  });
});
