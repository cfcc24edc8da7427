import { SQSClient } from '@aws-sdk/client-sqs';
import { v7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redriveDeadLetters } from '../../infra/ops/redrive.ts';
import { newFirm, tokenFor } from '../support/api.ts';
import { eventually, mailTo } from '../support/mail.ts';
import { startOwnStack, type OwnStack } from '../support/own-stack.ts';

let own: OwnStack;
let sqs: SQSClient;

beforeAll(async () => {
  own = await startOwnStack();
  sqs = new SQSClient({ endpoint: own.stack.sqsUrl, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' }, useQueueUrlAsEndpoint: false });
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await own?.stop();
});

describe('the dead-letter queue', () => {
  it('holds a request whose ops email kept failing, and re-drives it once SES is back: ticket once, email once', async () => {
    const firm = newFirm();
    const ops = await tokenFor('ops', firm);
    const ticketId = v7();
    const request = {
      version: 1,
      ticketId,
      reason: 'no_account',
      firmId: firm,
      householdId: v7(),
      householdName: 'Dead Letter Household',
      invitationId: v7(),
      client: { firstName: 'Del', lastName: 'Etter', email: 'del@client.test' },
      requestedBy: 'advisor-dl',
      requestedAt: new Date().toISOString(),
    };
    await own.stack.stopService('ses');
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    await sqs.send(new SendMessageCommand({ QueueUrl: own.stack.queues.queueUrl, MessageBody: JSON.stringify(request) }));

    // Five failed deliveries, 2 s apart, then the queue moves it aside.
    const { GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
    await eventually(async () => {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: own.stack.queues.deadLetterQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
      );
      return Number(attributes.Attributes?.ApproximateNumberOfMessages) === 1 ? true : undefined;
    }, 40_000);
    // The ticket itself was created on the first delivery; only its email is owed.
    expect((await own.api('GET', `/ops/tickets/${ticketId}`, { token: ops })).status).toBe(200);

    await own.stack.startService('ses');
    const moved = await redriveDeadLetters({ sqs, queueUrl: own.stack.queues.queueUrl, deadLetterQueueUrl: own.stack.queues.deadLetterQueueUrl });
    expect(moved).toBe(1);
    await eventually(async () => ((await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).length > 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const mails = (await mailTo('ops@advisor-platform.test', own.stack.mailUrl)).filter((m) => m.body.text?.includes(ticketId));
    expect(mails).toHaveLength(1);
  }, 90_000);
});
