// The local stack's lifecycle-event subscriber (an SQS queue on the events topic), read as a CRM's consumer would:
// every message received is kept, deleted from the queue, and handed to the test whose firm it names.
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LifecycleEventDetail } from '../../lib/schemas/events.ts';

export interface Delivered {
  source: string;
  'detail-type': string;
  time: string;
  detail: LifecycleEventDetail;
}

const client = (sqsUrl: string) =>
  new SQSClient({ endpoint: sqsUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, useQueueUrlAsEndpoint: false });

/** A reader of one subscriber queue; what it has received, of every firm, stays with it (other tests share the queue). */
export const subscriber = (sqsUrl: string, queueUrl: string) => {
  const sqs = client(sqsUrl);
  const received: Delivered[] = [];
  const drain = async (): Promise<void> => {
    for (;;) {
      const page = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, VisibilityTimeout: 30 }));
      const messages = page.Messages ?? [];
      if (messages.length === 0) return;
      received.push(...messages.map((message) => JSON.parse(message.Body ?? '{}') as Delivered));
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: messages.map((message, i) => ({ Id: String(i), ReceiptHandle: message.ReceiptHandle! })) }),
      );
    }
  };
  return {
    /** Every delivery so far of the firm's events, duplicates included. */
    async of(firmId: string): Promise<Delivered[]> {
      await drain();
      return received.filter((delivered) => delivered.detail?.firmId === firmId);
    },
    close: () => sqs.destroy(),
  };
};

/** One delivery per event id: what a consumer that dedupes on the id keeps. */
export const deduped = (deliveries: Delivered[]): Delivered[] => [...new Map(deliveries.map((d) => [d.detail.id, d])).values()];
