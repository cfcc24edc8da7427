// Local stand-in for the Lambda SQS event source: batches, partial batch responses, redrive by the queue itself.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { functionTimeoutSeconds } from '../../lib/settings/timing.ts';
import { batchSize } from '../queue-settings.ts';
import { localCredentials, localRegion } from './provision.ts';
import { lambdaContext } from './lambda-context.ts';

type BatchHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface QueuePollerOptions {
  endpoint: string;
  queueUrl: string;
  functionName: string;
  handler: () => Promise<BatchHandler>;
  /** A share (0-1) of invocations made to throw before the handler runs, as a crashing Lambda would. */
  failureRate?: () => number;
  /** The consumer's Lambda timeout (the ops function's unless named). */
  timeoutMs?: number;
}

const toRecord = (message: Message, queueArn: string) => ({
  messageId: message.MessageId ?? randomUUID(),
  receiptHandle: message.ReceiptHandle ?? '',
  body: message.Body ?? '',
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? 'local',
    ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? '',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: localRegion,
});

export const startQueuePoller = (options: QueuePollerOptions) => {
  const sqs = new SQSClient({ endpoint: options.endpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1, useQueueUrlAsEndpoint: false });
  const queueName = options.queueUrl.split('/').pop() ?? 'queue';
  const queueArn = `arn:aws:sqs:${localRegion}:000000000000:${queueName}`;
  let running = true;
  const invocations = { batches: 0, failedRecords: 0, crashed: 0 };

  const pollOnce = async () => {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, queueArn)) };
    invocations.batches += 1;
    let failed = new Set<string>(event.Records.map((r) => r.messageId));
    try {
      if (Math.random() < (options.failureRate?.() ?? 0)) throw new Error('injected ops function crash');
      const handler = await options.handler();
      const response = await handler(event, lambdaContext(options.functionName, randomUUID(), options.timeoutMs ?? functionTimeoutSeconds.ticketQueue * 1000));
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // A thrown invocation fails the whole batch: every message comes back after its visibility timeout.
      invocations.crashed += 1;
    }
    invocations.failedRecords += failed.size;
    const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
        }),
      );
    }
  };

  const loop = (async () => {
    while (running) {
      try {
        await pollOnce();
      } catch {
        // The queue is down or restarting: wait and try again, as the Lambda poller would.
        if (running) await sleep(500);
      }
    }
  })();

  return {
    invocations,
    async stop() {
      running = false;
      await loop;
      sqs.destroy();
    },
  };
};
