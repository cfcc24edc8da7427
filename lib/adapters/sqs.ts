import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import * as config from '../config.ts';
import type { TicketQueue } from '../domain/ports.ts';
import { queueableTicketRequest } from '../schemas/invitations.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Imported statically, so esbuild keeps only this one command (a dynamic import() kept the whole client,
// +12 KB); constructed on the first ticket request, since verify-identity queues one only on a fifth wrong number.
const loadQueue = () => {
  // Endpoint from AWS_ENDPOINT_URL_SQS when run locally; the queue URL never overrides it.
  const sqs = observed(new SQSClient({ ...clientDefaults, useQueueUrlAsEndpoint: false }));
  return (entries: SendMessageBatchRequestEntry[]) =>
    sqs.send(new SendMessageBatchCommand({ QueueUrl: config.ticketQueueUrl(), Entries: entries }));
};

let sendBatch: ReturnType<typeof loadQueue> | undefined;

export const sqsTicketQueue: TicketQueue = {
  async send(unchecked) {
    // The ops function's own schema: a message it would refuse is a 400 here, and nothing is queued.
    const requests = unchecked.map(queueableTicketRequest);
    const send = (sendBatch ??= loadQueue());
    for (let start = 0; start < requests.length; start += 10) {
      const batch = requests.slice(start, start + 10);
      const result = await send(batch.map((request, index) => ({ Id: String(index), MessageBody: JSON.stringify(request) })));
      if (result.Failed?.length) throw new Error(`${result.Failed.length} ticket requests were not queued`);
    }
  },
};
