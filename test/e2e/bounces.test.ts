// Bounces and complaints end to end on the local stack: an invitation sent to SES's mailbox-simulator addresses gets
// the event AWS would publish (infra/local/mailbox-simulator.ts), through the SNS topic and the SQS queue, to
// functions/record-email-events.ts. The simulator addresses are shared by every test, so each uses a household of
// its own (the one-live-invitation lock is per household and email) and the events find their invitation by tags.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { invitationTags } from '../../lib/email/invitation-tags.ts';
import { simulatorEvents } from '../../infra/local/mailbox-simulator.ts';
import { call, newFirm, opsToken, tokenFor } from '../support/api.ts';
import { allMail, eventually, linkIn, mailTo, uniqueEmail } from '../support/mail.ts';
import { peekBodies, sendRaw, visibleCount } from '../support/queue.ts';

const bounceAddress = 'bounce@simulator.amazonses.com';
const complaintAddress = 'complaint@simulator.amazonses.com';
const successAddress = 'success@simulator.amazonses.com';

let firm: string;
let advisor: string;
const advisorEmail = uniqueEmail('advisor');

beforeAll(async () => {
  firm = newFirm();
  advisor = await tokenFor('advisor', firm, { email: advisorEmail, firmName: 'Bounce Wealth' });
});

const household = async (name: string, accounts: { accountNumber: string }[] = []) =>
  (await call('POST', '/households', { token: advisor, body: { name, accounts } })).body.household.householdId as string;

/** A client with a name no other test uses, so their mail and the advisor's notice about them are theirs alone. */
const invite = async (householdId: string, email: string) => {
  const client = { firstName: `Cl${randomUUID().slice(0, 6)}`, lastName: 'Simulated', email };
  const answer = await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: client });
  expect(answer.status).toBe(201);
  return { ...client, invitationId: answer.body.invitation.invitationId as string, ticketId: answer.body.invitation.verification.ticketId as string | undefined };
};

const statusOf = async (householdId: string, invitationId: string) => {
  const list = await call('GET', `/households/${householdId}/invitations`, { token: advisor });
  return list.body.items.find((item: { invitationId: string }) => item.invitationId === invitationId) as Record<string, unknown> & { status: string };
};

const becomes = (householdId: string, invitationId: string, status: string) =>
  eventually(async () => {
    const invitation = await statusOf(householdId, invitationId);
    return invitation.status === status ? invitation : undefined;
  }, 10_000);

const noticesAbout = async (client: { firstName: string }) => (await mailTo(advisorEmail)).filter((mail) => mail.subject.includes(client.firstName));

/** The events queue has nothing visible or in flight: every event sent so far has been handled. */
const drained = () => eventually(async () => ((await visibleCount(inject('emailEventsQueueUrl'))) === 0 ? true : undefined), 15_000);

/** A bounce SES would publish for this invitation's email, published to the events topic as SES does. */
const publishBounce = async (householdId: string, invitationId: string) => {
  const tags = invitationTags({ firmId: firm, householdId, invitationId }).map((tag) => ({ name: tag.Name, value: tag.Value }));
  const [event] = simulatorEvents({ messageId: `ses-${randomUUID()}`, source: 'portal@advisor-platform.test', to: [bounceAddress], subject: 'x', configurationSet: 'portal-onboarding', tags });
  const sns = new SNSClient({ endpoint: inject('sqsUrl'), region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await sns.send(new PublishCommand({ TopicArn: inject('emailEventsTopicArn'), Message: JSON.stringify(event) }));
  sns.destroy();
};

describe('an invitation to the bounce address', () => {
  it("shows bounced within seconds, and the advisor's email names the client and the household", async () => {
    const householdId = await household('Bounced Household');
    const client = await invite(householdId, bounceAddress);
    const bounced = await becomes(householdId, client.invitationId, 'bounced');
    expect(bounced.bouncedAt).toEqual(expect.any(String));

    const [notice, ...more] = await eventually(async () => {
      const found = await noticesAbout(client);
      return found.length > 0 ? found : undefined;
    });
    expect(more).toEqual([]);
    expect(notice!.subject).toBe(`Invitation email bounced: ${client.firstName} Simulated`);
    expect(notice!.body.text).toContain(`${client.firstName} Simulated (${bounceAddress})`);
    expect(notice!.body.text).toContain(`Household: Bounced Household (${householdId})`);
    const trail = await call('GET', `/households/${householdId}/events`, { token: advisor });
    expect(trail.body.items).toContainEqual(
      expect.objectContaining({ action: 'invitation.bounced', from: 'sent', to: 'bounced', invitationId: client.invitationId, actor: expect.objectContaining({ role: 'system' }) }),
    );
  });

  it("kills the link, cancels the prospect's open ticket and frees the address for a corrected invitation", async () => {
    const householdId = await household('Bounced Prospect');
    const client = await invite(householdId, bounceAddress);
    await becomes(householdId, client.invitationId, 'bounced');
    const invitationMail = (await allMail()).find((mail) => mail.destination.to.includes(bounceAddress) && mail.body.text?.includes(`Hello ${client.firstName},`));
    expect((await call('GET', `/portal/invitations/${linkIn(invitationMail).token}`)).status).toBe(404);
    const ticket = await eventually(async () => {
      const answer = await call('GET', `/ops/tickets/${client.ticketId}`, { token: await opsToken() });
      return answer.body?.ticket?.status === 'cancelled' ? answer.body.ticket : undefined;
    });
    expect(ticket.note).toBe('invitation bounced');
    const corrected = { firstName: client.firstName, lastName: client.lastName, email: bounceAddress };
    expect((await call('POST', `/households/${householdId}/invitations`, { token: advisor, body: corrected })).status).toBe(201);
  });
});

describe('an invitation to the complaint address', () => {
  it("shows complained, and the advisor is told the client marked it as spam", async () => {
    const householdId = await household('Complaining Household', [{ accountNumber: '44556677' }]);
    const client = await invite(householdId, complaintAddress);
    await becomes(householdId, client.invitationId, 'complained');
    const [notice] = await eventually(async () => {
      const found = await noticesAbout(client);
      return found.length > 0 ? found : undefined;
    });
    expect(notice!.subject).toBe(`Invitation marked as spam: ${client.firstName} Simulated`);
    expect(notice!.body.text).toContain(`(${complaintAddress}) marked the invitation email as spam`);
  });
});

describe('an invitation to the success address', () => {
  it('stays sent once its delivery event is handled, and tells the advisor nothing', async () => {
    const householdId = await household('Delivered Household');
    const client = await invite(householdId, successAddress);
    await sleep(300);
    await drained();
    expect((await statusOf(householdId, client.invitationId)).status).toBe('sent');
    expect(await noticesAbout(client)).toEqual([]);
  });
});

describe('the events queue', () => {
  it('sends a malformed message to its DLQ without holding up the good ones', async () => {
    const householdId = await household('Queue Household');
    const client = await invite(householdId, uniqueEmail('queued'));
    const malformed = JSON.stringify({ Type: 'Notification', MessageId: randomUUID(), Message: '{"eventType":"Bounce","mail":{}}' });
    await sendRaw([malformed], inject('emailEventsQueueUrl'));
    await publishBounce(householdId, client.invitationId);
    await becomes(householdId, client.invitationId, 'bounced');
    await eventually(async () => ((await peekBodies(inject('emailEventsDeadLetterQueueUrl'))).includes(malformed) ? true : undefined), 30_000);
  }, 45_000);

  it('emails the advisor once however often the same bounce is delivered, at once or later', async () => {
    const householdId = await household('Redelivered Household');
    const client = await invite(householdId, uniqueEmail('redelivered'));
    await Promise.all([1, 2, 3].map(() => publishBounce(householdId, client.invitationId)));
    await becomes(householdId, client.invitationId, 'bounced');
    await drained();
    await publishBounce(householdId, client.invitationId);
    await drained();
    // Long enough for a second notice to reach the mail store had one been sent.
    await sleep(1_000);
    expect(await noticesAbout(client)).toHaveLength(1);
  });
});
