import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';

export const queueClient = () =>
  new SQSClient({
    endpoint: inject('sqsUrl'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });

export const sendRaw = async (bodies: string[], queueUrl = inject('queueUrl')) => {
  const sqs = queueClient();
  await sqs.send(
    new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })) }),
  );
  sqs.destroy();
};

export const visibleCount = async (queueUrl: string) => {
  const sqs = queueClient();
  const result = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  sqs.destroy();
  return Number(result.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
};

export const peekBodies = async (queueUrl: string): Promise<string[]> => {
  const sqs = queueClient();
  const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  sqs.destroy();
  return (result.Messages ?? []).map((m) => m.Body ?? '');
};
