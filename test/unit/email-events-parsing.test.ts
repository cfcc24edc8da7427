// Reading SES events off the queue, and recording them against the in-memory store: what is an event, which
// invitation it names, and that the advisor is emailed once, even when the first send fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulatorEvents, simulatorOutcome, sentEmailOf } from '../../infra/local/mailbox-simulator.ts';
import { AppError } from '../../lib/domain/errors.ts';
import { keyOf, type InvitationKey } from '../../lib/domain/invitation-change.ts';
import type { OutgoingEmail } from '../../lib/domain/ports.ts';
import { invitationTags, taggedInvitation } from '../../lib/email/invitation-tags.ts';
import { parseEmailEvent } from '../../lib/schemas/email-events.ts';
import { recordEmailEvent } from '../../lib/use-cases/record-email-event.ts';
import { minutesAfter, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

const key: InvitationKey = { firmId: 'firm.a-1', householdId: '01962d4e-1c2b-7d3e-8f4a-5b6c7d8e9f01', invitationId: '01962d4e-1c2b-7d3e-8f4a-5b6c7d8e9f02' };
const tagsOf = (about: InvitationKey) => Object.fromEntries(invitationTags(about).map((tag) => [tag.Name, [tag.Value]]));

/** SNS's envelope around an SES event, as SQS hands it to the function (not raw delivery). */
const envelope = (event: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'b3a1c2d4-0000-4000-8000-000000000001',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-events',
    Message: JSON.stringify(event),
    Timestamp: '2026-03-01T12:00:01.000Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLE',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  });

// The shape of AWS's own example of a published bounce (SES developer guide, "Examples of event data"), trimmed.
const awsBounce = (tags: Record<string, string[]>, bounceType = 'Permanent') => ({
  eventType: 'Bounce',
  bounce: {
    bounceType,
    bounceSubType: 'General',
    bouncedRecipients: [{ emailAddress: 'recipient@example.com', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    timestamp: '2017-08-05T00:41:02.669Z',
    feedbackId: '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
    reportingMTA: 'dsn; mta.example.com',
  },
  mail: {
    timestamp: '2017-08-05T00:40:02.012Z',
    source: 'Sender Name <sender@example.com>',
    sendingAccountId: '123456789012',
    messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
    destination: ['recipient@example.com'],
    headersTruncated: false,
    tags: { 'ses:configuration-set': ['ConfigSet'], 'ses:source-ip': ['192.0.2.0'], ...tags },
  },
});

describe('reading an SES event off the queue', () => {
  it("reads AWS's bounce example: the email's id, the invitation its tags name, and whether the bounce is permanent", () => {
    expect(parseEmailEvent(envelope(awsBounce(tagsOf(key))))).toEqual({
      success: true,
      event: { kind: 'bounce', permanent: true, messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000', invitation: key },
    });
    expect(parseEmailEvent(envelope(awsBounce(tagsOf(key), 'Transient')))).toMatchObject({ success: true, event: { permanent: false } });
  });

  it('reads an event of an email that names no invitation (to ops, to an advisor) as about none', () => {
    expect(parseEmailEvent(envelope(awsBounce({})))).toMatchObject({ success: true, event: { invitation: undefined } });
  });

  it('reads what the local mailbox simulator publishes for each simulator address exactly as it reads AWS', () => {
    const form = new URLSearchParams({ Action: 'SendEmail', Source: 'portal@advisor.test', ConfigurationSetName: 'portal-onboarding', 'Message.Subject.Data': 'Hi' });
    invitationTags(key).forEach((tag, i) => {
      form.set(`Tags.member.${i + 1}.Name`, tag.Name);
      form.set(`Tags.member.${i + 1}.Value`, tag.Value);
    });
    for (const [address, kind] of [['bounce@simulator.amazonses.com', 'bounce'], ['complaint+x@simulator.amazonses.com', 'complaint'], ['success@simulator.amazonses.com', 'delivery']] as const) {
      form.set('Destination.ToAddresses.member.1', address);
      const [event, ...more] = simulatorEvents(sentEmailOf(form, 'ses-123')!);
      expect(more).toEqual([]);
      expect(parseEmailEvent(envelope(event))).toEqual({ success: true, event: { kind, messageId: 'ses-123', invitation: key, ...(kind === 'bounce' ? { permanent: true } : {}) } });
    }
  });

  it('gives other addresses, and sends without a configuration set, no event, as SES does', () => {
    expect(simulatorOutcome('ann@example.com')).toBeUndefined();
    const sentEmail = { messageId: 'm', source: 's@x.test', to: ['bounce@simulator.amazonses.com'], subject: 's', tags: [] };
    expect(simulatorEvents({ ...sentEmail, configurationSet: undefined })).toEqual([]);
    expect(simulatorEvents({ ...sentEmail, to: ['ann@example.com'], configurationSet: 'c' })).toEqual([]);
  });

  it('refuses what is not an SNS notification of a bounce, complaint or delivery, or names an invitation as never sent', () => {
    const refused = [
      'not json',
      JSON.stringify({ Type: 'SubscriptionConfirmation', Message: '{}' }),
      envelope({ eventType: 'Open', mail: { messageId: 'm' }, open: {} }),
      envelope({ eventType: 'Bounce', mail: { messageId: 'm' } }),
      envelope({ ...awsBounce({}), mail: { tags: {} } }),
      envelope(awsBounce({ ...tagsOf(key), invitation: ['not-an-id'] })),
      envelope(awsBounce({ household: [key.householdId] })),
      envelope(awsBounce({ ...tagsOf(key), firm: [Buffer.from('firm with spaces').toString('base64url')] })),
    ];
    for (const body of refused) expect(parseEmailEvent(body).success, body).toBe(false);
  });

  it('answers any body, any SNS message and any tags with an event or a reason, never a throw', () => {
    const tags = fc.dictionary(fc.constantFrom('firm', 'household', 'invitation', 'ses:configuration-set', '__proto__'), fc.array(fc.string(), { maxLength: 2 }));
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      fc.jsonValue().map(envelope),
      tags.map((t) => envelope(awsBounce(t))),
      fc.record({ eventType: fc.constantFrom('Bounce', 'Complaint', 'Delivery'), mail: fc.anything(), bounce: fc.anything() }).map(envelope),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        const parsed = parseEmailEvent(body);
        expect(parsed.success ? parsed.event.messageId.length : parsed.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('tags a firm id that SES could not carry as is, and reads it back', () => {
    const tags = invitationTags(key);
    expect(tags.every((tag) => /^[A-Za-z0-9_-]+$/.test(tag.Value))).toBe(true);
    expect(taggedInvitation(tagsOf(key))).toEqual(key);
  });
});

describe('recording an event', () => {
  const system = () => {
    const memory = memoryInvitations();
    const mails: OutgoingEmail[] = [];
    const clock = { now: minutesAfter(start, 1), mailDown: false };
    const deps = {
      invitations: memory.store,
      mailer: {
        send: async (email: OutgoingEmail) => {
          if (clock.mailDown) throw new AppError('email_send_failed', 'SES refused');
          mails.push(email);
        },
      },
      now: () => clock.now,
      requestId: 'sqs-message-1',
    };
    return { memory, mails, clock, deps };
  };

  it('bounces the invitation once and emails its advisor once, however often the event comes', async () => {
    const { memory, mails, deps } = system();
    const { next: invitation, change } = sent({ prospect: true });
    await memory.store.create(change);
    const bounce = { kind: 'bounce' as const, permanent: true, messageId: 'm', invitation: keyOf(invitation) };
    expect(await Promise.all([1, 2, 3].map(() => recordEmailEvent(deps, bounce)))).toEqual(expect.arrayContaining(['bounced', 'duplicate']));
    expect(await recordEmailEvent(deps, bounce)).toBe('duplicate');
    expect(mails.map((mail) => [mail.to, mail.subject])).toEqual([['advisor@firm.test', 'Invitation email bounced: Ann Lee']]);
    const stored = memory.invitations.get(`${invitation.firmId}#${invitation.householdId}#${invitation.invitationId}`)!;
    expect(stored).toMatchObject({ state: 'bounced', deliveryNotice: { about: 'bounced', sentAt: expect.any(String) } });
    expect(memory.tickets.get(invitation.verification.ticketId!)?.status).toBe('cancelled');
    expect([...memory.locks.keys()]).toEqual([]);
    // The household's trail: the bounce and the ticket it cancelled, once, by the service, in the message behind it.
    expect(memory.events.map((event) => [event.action, event.from, event.to, event.actor.role, event.requestId])).toEqual([
      ['invitation.bounced', 'sent', 'bounced', 'system', 'sqs-message-1'],
      ['ticket.cancelled', 'open', 'cancelled', 'system', 'sqs-message-1'],
    ]);
  });

  it('gives the notice back when SES refuses it, so the next delivery of the event sends it', async () => {
    const { memory, mails, clock, deps } = system();
    const { next: invitation, change } = sent();
    await memory.store.create(change);
    const complaint = { kind: 'complaint' as const, messageId: 'm', invitation: keyOf(invitation) };
    clock.mailDown = true;
    await expect(recordEmailEvent(deps, complaint)).rejects.toThrow();
    clock.mailDown = false;
    expect(await recordEmailEvent(deps, complaint)).toBe('notice_resumed');
    expect(await recordEmailEvent(deps, complaint)).toBe('duplicate');
    expect(mails.map((mail) => mail.subject)).toEqual(['Invitation marked as spam: Ann Lee']);
  });
});
