// Local stand-in for SES's mailbox simulator: an email sent through a configuration set to one of the simulator's
// addresses gets the event SES would publish to the configuration set's SNS topic, shaped as SES shapes it
// (event publishing: eventType, mail with its tags, and the bounce, complaint or delivery). Any other address gets
// none, since nothing is delivered locally. https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { localCredentials, localRegion } from './provision.ts';

/** What the local SES took: from the SendEmail request, and the MessageId it answered with. */
export interface SentEmail {
  messageId: string;
  source: string;
  to: string[];
  subject: string;
  configurationSet: string | undefined;
  tags: { name: string; value: string }[];
}

type Outcome = 'bounce' | 'complaint' | 'success';

/** `bounce@simulator.amazonses.com`, or with a label as SES allows: `bounce+anything@simulator.amazonses.com`. */
export const simulatorOutcome = (address: string): Outcome | undefined => {
  const match = /^(bounce|complaint|success)(?:\+[^@]*)?@simulator\.amazonses\.com$/i.exec(address.trim());
  return match ? (match[1]!.toLowerCase() as Outcome) : undefined;
};

const account = '000000000000';

const mailOf = (sent: SentEmail, sentAt: string, to: string) => {
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [sent.configurationSet ?? ''],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [sent.source.split('@')[1] ?? ''],
    'ses:caller-identity': ['local'],
  };
  for (const tag of sent.tags) tags[tag.name] = [tag.value];
  return {
    timestamp: sentAt,
    source: sent.source,
    sourceArn: `arn:aws:ses:us-east-1:${account}:identity/${sent.source}`,
    sendingAccountId: account,
    messageId: sent.messageId,
    destination: [to],
    headersTruncated: false,
    commonHeaders: { from: [sent.source], to: [to], messageId: sent.messageId, subject: sent.subject },
    tags,
  };
};

/** The SES events AWS would publish for this email: one per simulator recipient, none without a configuration set. */
export const simulatorEvents = (sent: SentEmail, now = new Date()): object[] => {
  if (!sent.configurationSet) return [];
  const sentAt = now.toISOString();
  const at = new Date(now.getTime() + 1).toISOString();
  return sent.to.flatMap((to): object[] => {
    const outcome = simulatorOutcome(to);
    const mail = mailOf(sent, sentAt, to);
    const feedbackId = `${randomUUID()}-000000`;
    switch (outcome) {
      case 'bounce':
        return [
          {
            eventType: 'Bounce',
            bounce: {
              feedbackId,
              bounceType: 'Permanent',
              bounceSubType: 'General',
              bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
              timestamp: at,
              reportingMTA: 'dns; simulator.amazonses.com',
            },
            mail,
          },
        ];
      case 'complaint':
        return [
          {
            eventType: 'Complaint',
            complaint: {
              feedbackId,
              complaintSubType: null,
              complainedRecipients: [{ emailAddress: to }],
              timestamp: at,
              userAgent: 'Amazon SES Mailbox Simulator',
              complaintFeedbackType: 'abuse',
              arrivalDate: at,
            },
            mail,
          },
        ];
      case 'success':
        return [
          {
            eventType: 'Delivery',
            delivery: { timestamp: at, processingTimeMillis: 1, recipients: [to], smtpResponse: '250 2.6.0 Message received', reportingMTA: 'a0-1.smtp-out.amazonses.com' },
            mail,
          },
        ];
      default:
        return [];
    }
  });
};

/** What the local SES was asked to send, from a v1 SendEmail request's form fields; undefined for any other call. */
export const sentEmailOf = (form: URLSearchParams, messageId: string): SentEmail | undefined => {
  if (form.get('Action') !== 'SendEmail') return undefined;
  const members = (prefix: string) => [...form.keys()].filter((key) => key.startsWith(prefix)).map((key) => form.get(key)!);
  const tags: SentEmail['tags'] = [];
  for (let n = 1; form.has(`Tags.member.${n}.Name`); n += 1) {
    tags.push({ name: form.get(`Tags.member.${n}.Name`)!, value: form.get(`Tags.member.${n}.Value`) ?? '' });
  }
  return {
    messageId,
    source: form.get('Source') ?? '',
    to: members('Destination.ToAddresses.member.'),
    subject: form.get('Message.Subject.Data') ?? '',
    configurationSet: form.get('ConfigurationSetName') ?? undefined,
    tags,
  };
};

/**
 * Publishes each email's simulator events to the topic, as SES publishes to a configuration set's SNS destination.
 * While SNS is down (a fault test stopped it) the events are lost, as SES drops what it cannot publish.
 */
export const simulatorPublisher = (endpoint: string, topicArn: () => string | undefined) => {
  const sns = new SNSClient({ endpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
  return {
    onSent(sent: SentEmail): void {
      const topic = topicArn();
      if (topic === undefined) return;
      for (const event of simulatorEvents(sent)) {
        sns.send(new PublishCommand({ TopicArn: topic, Message: JSON.stringify(event) })).catch(() => undefined);
      }
    },
    close: () => sns.destroy(),
  };
};
