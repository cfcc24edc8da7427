// The ops function draining a backlog of ticket requests, fed as the Lambda SQS event source feeds it.
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { loadHandler } from '../infra/local/handlers.ts';
import { lambdaContext } from '../infra/local/lambda-context.ts';
import { batchSize } from '../infra/queue-settings.ts';
import { sqsEvent } from './events.ts';
import { takeWindow, tally } from './sdk-meter.ts';
import { round } from './stats.ts';
import { ticketRequest } from './use-cases.ts';

export interface DrainFigures {
  tickets: number;
  batches: number;
  /** Tickets per second of handler time: what one ops-function instance sustains. */
  ticketsPerSecond: number;
  /** The same including this poller's receive and delete calls, which Lambda makes outside the function. */
  ticketsPerSecondWithPolling: number;
  dynamoCallsPerTicket: number;
  sesCallsPerTicket: number;
  calls: Record<string, number>;
}

type OpsHandler = (event: unknown, context: unknown) => Promise<SQSBatchResponse>;

export const drainTickets = async (count: number, firmId: string): Promise<DrainFigures> => {
  // A queue of its own, so the stack's poller never takes these messages; endpoint and keys from the env.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-drain-${randomUUID().slice(0, 8)}`, Attributes: { VisibilityTimeout: '300' } }));
  for (let start = 0; start < count; start += 10) {
    const entries = Array.from({ length: Math.min(10, count - start) }, (_, i) => ({ Id: String(i), MessageBody: JSON.stringify(ticketRequest(firmId, start + i)) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  }

  const handler = await loadHandler<OpsHandler>('raise-verification-tickets');
  let handled = 0;
  let batches = 0;
  let handlerMs = 0;
  const calls: string[] = [];
  const started = performance.now();
  while (handled < count) {
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: batchSize, WaitTimeSeconds: 1 }));
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      if (performance.now() - started > 600_000) throw new Error(`only ${handled} of ${count} tickets drained`);
      continue;
    }
    takeWindow();
    const invoked = performance.now();
    const result = await handler(sqsEvent(messages), lambdaContext('raise-verification-tickets', randomUUID()));
    handlerMs += performance.now() - invoked;
    calls.push(...takeWindow().calls);
    if (result.batchItemFailures.length > 0) throw new Error(`the ops function failed ${result.batchItemFailures.length} messages`);
    batches += 1;
    handled += messages.length;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }));
  }
  const elapsedMs = performance.now() - started;
  sqs.destroy();
  const counted = tally(calls);
  const dynamo = calls.filter((call) => call.startsWith('DynamoDB.')).length;
  return {
    tickets: handled,
    batches,
    ticketsPerSecond: round((handled / handlerMs) * 1000, 1),
    ticketsPerSecondWithPolling: round((handled / elapsedMs) * 1000, 1),
    dynamoCallsPerTicket: round(dynamo / handled, 2),
    sesCallsPerTicket: round((counted['SES.SendEmail'] ?? 0) / handled, 2),
    calls: counted,
  };
};
