// Data that must outlive any deploy: the table, the ticket queue and its DLQ, the account-hash key, the lifecycle
// events' bus and its archive.
// Everything here is retained and the stack is termination-protected; code lives in the stateless stack.
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import * as queueSettings from '../queue-settings.ts';
import { tableIndexes, tableKeys, ttlAttribute } from '../table-design.ts';
import { lifecycleEvents, type LifecycleEvents } from './lifecycle-events.ts';
import { DocumentStorage, type DocumentStorageProps } from './document-storage.ts';

/** What the stateless stack is handed: typed references, so a grant can never name the wrong resource. */
export interface PortalData {
  /** Encrypts everything below; grants on them include its use. */
  dataKey: Key;
  table: TableV2;
  ticketQueue: Queue;
  ticketDeadLetterQueue: Queue;
  /** HMAC key for account numbers: losing it orphans every stored account hash. */
  accountKeySecret: Secret;
  /** The lifecycle events' bus and its archive. */
  events: LifecycleEvents;
  /** Clients' uploaded documents and the queue their bucket's events go to. */
  documents: DocumentStorage;
}

export class StatefulStack extends Stack {
  readonly data: PortalData;

  constructor(scope: Construct, id: string, props: StackProps & { documents: Omit<DocumentStorageProps, 'dataKey'> }) {
    super(scope, id, { terminationProtection: true, ...props });

    // One customer-managed key for the data at rest here: key use is auditable in CloudTrail and revocable.
    const dataKey = new Key(this, 'DataKey', {
      alias: 'alias/portal-onboarding/data',
      description: 'Encrypts the portal-onboarding table, ticket queues and account-hash secret',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const table = new TableV2(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      globalSecondaryIndexes: tableIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(dataKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttlAttribute,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const ticketDeadLetterQueue = new Queue(this, 'TicketDeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(queueSettings.deadLetterRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SQS3 wants a DLQ on every queue; a DLQ of a DLQ would only move the problem. The alarm watches this one.
    Validations.of(ticketDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the ticket queue; its messages are alarmed on and redriven by ops (npm run redrive-dlq).',
    });

    const ticketQueue = new Queue(this, 'TicketRequests', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(queueSettings.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(queueSettings.retentionDays),
      deadLetterQueue: { queue: ticketDeadLetterQueue, maxReceiveCount: queueSettings.maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accountKeySecret = new Secret(this, 'AccountKey', {
      description: 'HMAC key for account numbers (stored only as keyed hashes); never rotate: old hashes would stop matching',
      encryptionKey: dataKey,
      // 64 letters and digits are ~380 bits of key; no punctuation, so the key survives shells and copy-paste intact.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accountKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'No automatic rotation: stored account-number hashes match only under their own key, so npm run rotate-account-key rotates it keeping the previous key until clients re-verify.',
    });

    const documents = new DocumentStorage(this, 'Documents', { dataKey, ...props.documents });

    // What `npm run redrive-dlq -- --queue-url ... --dlq-url ...` needs after the DLQ alarm fires.
    new CfnOutput(this, 'TicketQueueUrl', { value: ticketQueue.queueUrl });
    new CfnOutput(this, 'TicketDeadLetterQueueUrl', { value: ticketDeadLetterQueue.queueUrl });
    // And after the DocumentUploadDeadLetters alarm: the uploads queue and its DLQ.
    new CfnOutput(this, 'DocumentUploadsQueueUrl', { value: documents.queue.queueUrl });
    new CfnOutput(this, 'DocumentUploadsDeadLetterQueueUrl', { value: documents.deadLetterQueue.queueUrl });

    const events = lifecycleEvents(this);
    // What an integration's rule names (docs/events.md).
    new CfnOutput(this, 'LifecycleEventBusName', { value: events.bus.eventBusName });

    this.data = { dataKey, table, ticketQueue, ticketDeadLetterQueue, accountKeySecret, events, documents };
  }
}
