import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { config } from '../config.ts';
import type { TicketQueue } from '../domain/ports.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Endpoint from AWS_ENDPOINT_URL_SQS when run locally; the queue URL never overrides it.
const sqs = observed(new SQSClient({ ...clientDefaults, useQueueUrlAsEndpoint: false }));

export const sqsTicketQueue: TicketQueue = {
  async send(requests) {
    for (let start = 0; start < requests.length; start += 10) {
      const batch = requests.slice(start, start + 10);
      const result = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: config.ticketQueueUrl(),
          Entries: batch.map((request, index) => ({ Id: String(index), MessageBody: JSON.stringify(request) })),
        }),
      );
      if (result.Failed?.length) throw new Error(`${result.Failed.length} ticket requests were not queued`);
    }
  },
};
