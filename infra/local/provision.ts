// Creates the table and queues on the local services if they are missing, shaped as the CDK stack shapes them.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { emailEvents } from '../../lib/settings/timing.ts';
import { tableIndexes, tableKeys, ttlAttribute } from '../table-design.ts';
import { maxReceiveCount, retentionDays, deadLetterRetentionDays } from '../queue-settings.ts';

export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'us-east-1';

export const provisionTable = async (endpoint: string, tableName: string): Promise<void> => {
  const dynamo = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  const keyNames = new Set<string>([tableKeys.partitionKey, tableKeys.sortKey]);
  tableIndexes.forEach((index) => [index.partitionKey, index.sortKey].forEach((name) => keyNames.add(name)));
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyNames].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: tableIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await dynamo.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
  dynamo.destroy();
};

export interface LocalQueues {
  queueUrl: string;
  deadLetterQueueUrl: string;
}

/** A queue's redrive and retention, as the CDK stack sets them. */
interface QueueShape {
  maxReceiveCount: number;
  retentionDays: number;
  deadLetterRetentionDays: number;
}

const ticketQueueShape: QueueShape = { maxReceiveCount, retentionDays, deadLetterRetentionDays };

export const provisionQueues = async (
  endpoint: string,
  name: string,
  visibilityTimeoutSeconds: number,
  shape: QueueShape = ticketQueueShape,
): Promise<LocalQueues> => {
  const sqs = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${name}-dlq`,
      Attributes: { MessageRetentionPeriod: String(shape.deadLetterRetentionDays * 86_400) },
    }),
  );
  const dlqArn = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(shape.retentionDays * 86_400),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn.Attributes?.QueueArn,
          maxReceiveCount: shape.maxReceiveCount,
        }),
      },
    }),
  );
  sqs.destroy();
  return { queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlq.QueueUrl! };
};

export interface LocalEmailEvents extends LocalQueues {
  /** Where SES publishes the configuration set's events (fauxqs serves SNS beside SQS). */
  topicArn: string;
}

/** The SES events topic, and its queue and DLQ subscribed to it as the CDK stack does (SNS's envelope, not raw). */
export const provisionEmailEvents = async (endpoint: string, name: string, visibilityTimeoutSeconds: number): Promise<LocalEmailEvents> => {
  const queues = await provisionQueues(endpoint, name, visibilityTimeoutSeconds, emailEvents);
  const sqs = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  const sns = new SNSClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    const queueArn = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['QueueArn'] }));
    const topic = await sns.send(new CreateTopicCommand({ Name: name }));
    await sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: queueArn.Attributes?.QueueArn }));
    return { ...queues, topicArn: topic.TopicArn! };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
};

export interface LocalLifecycleEvents {
  /** Where the functions publish lifecycle events on the local stack (EVENT_TOPIC_ARN; the bus in AWS). */
  topicArn: string;
  /** A subscriber, as a CRM's queue would be: each event in EventBridge's envelope (raw delivery), for tests to read. */
  subscriberQueueUrl: string;
}

/** The lifecycle events' topic and one subscriber queue, the local stand-in for the EventBridge bus and a rule's target. */
export const provisionLifecycleEvents = async (endpoint: string, name: string): Promise<LocalLifecycleEvents> => {
  const sqs = new SQSClient({ endpoint, region: localRegion, credentials: localCredentials });
  const sns = new SNSClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }));
    const queueArn = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
    const topic = await sns.send(new CreateTopicCommand({ Name: name }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topic.TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn.Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    return { topicArn: topic.TopicArn!, subscriberQueueUrl: queue.QueueUrl! };
  } finally {
    sqs.destroy();
    sns.destroy();
  }
};
