// SES's configuration-set events (bounce, complaint, delivery) on their way to functions/record-email-events.ts:
// the configuration set publishes them to an SNS topic, which delivers them to an SQS queue with a dead-letter
// queue. All of it lives in the stateless stack, beside the configuration set: SES's topic policy names the
// configuration set and SNS's queue policy names the topic, so splitting them across the stacks would make each
// stack depend on the other. What sits in the queue is seconds-old notifications, not records to keep.
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { emailEvents } from '../../lib/settings/timing.ts';
import type { PortalFunction } from './portal-function.ts';
import { drainQueue } from './ticket-queue-source.ts';

/** The events the function acts on (bounce, complaint) and counts (delivery). */
export const publishedEvents = [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY];

export class EmailEvents extends Construct {
  readonly key: Key;
  readonly topic: Topic;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: { configurationSet: ConfigurationSet }) {
    super(scope, id);
    // The events name clients' addresses: encrypted at rest, under a key of their own that SES and SNS may use.
    this.key = new Key(this, 'Key', {
      description: 'Encrypts SES bounce, complaint and delivery events on their way to portal-onboarding',
      enableKeyRotation: true,
      // Only events in flight are encrypted with it; they go with the queues if the stack does.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(emailEvents.deadLetterRetentionDays),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the SES events queue; its messages are alarmed on and redriven by ops (npm run redrive-dlq).',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(emailEvents.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(emailEvents.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: emailEvents.maxReceiveCount },
    });
    // SNS's envelope, not raw delivery, as the function reads it (lib/schemas/email-events.ts).
    this.topic.addSubscription(new SqsSubscription(this.queue));
    // Adds the topic policy that lets SES publish, for this configuration set only.
    props.configurationSet.addEventDestination('Events', {
      destination: EventDestination.snsTopic(this.topic),
      events: publishedEvents,
    });
  }

  /** `fn` records the events, in batches with partial failures. */
  drainInto(fn: PortalFunction): void {
    drainQueue(fn, { id: 'EmailEventsSource', queue: this.queue, key: this.key });
  }
}
