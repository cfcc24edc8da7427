// Tells the ops inbox, through an encrypted topic, when a ticket request has died (DLQ) or waits too long (queue
// age, outbox age, stuck outbox entries), when the sweeper fails, when the API fails (5xx), or when a ticket has
// been open longer than the ops desk's SLA.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsNamespace, outboxMetrics, serviceName, ticketSlaMetrics } from '../../lib/metrics.ts';

/** Past this a queued ticket request is well beyond its normal seconds: the ops function is failing or throttled. */
export const queueAgeAlarmSeconds = 15 * 60;
/** Past this an owed email or ticket request has missed several sweeps and backoffs. */
export const outboxAgeAlarmSeconds = 30 * 60;

export interface OpsAlarmsProps {
  opsEmail: string;
  ticketDeadLetterQueue: IQueue;
  /** SES's bounce and complaint events that could not be recorded (infra/cdk/email-events.ts). */
  emailEventDeadLetterQueue: IQueue;
  /** The bucket's upload events and GuardDuty's scan results that could not be recorded (document-storage.ts). */
  documentUploadDeadLetterQueue: IQueue;
  apiStage: IHttpStage;
  ticketQueue: IQueue;
  /** The scheduled outbox sweeper: a run in which an entry failed ends in an error (functions/sweep-outbox.ts). */
  sweeper: IFunction;
  /** The ops desk's SLA (settings.ticketSlaHours): how long a ticket may stay open, in seconds. */
  ticketSlaSeconds: number;
}

/** A metric the functions write as an EMF log line (lib/metrics.ts), under the one `service` dimension. */
export const portalMetric = (metricName: string, statistic: string, period = Duration.minutes(5)) =>
  new Metric({ namespace: metricsNamespace, metricName, dimensionsMap: { service: serviceName }, statistic, period });

interface AlarmOptions {
  /** Fires above the threshold rather than at it. */
  above?: boolean;
  missingData?: TreatMissingData;
  /** Whether the inbox hears when it clears (true unless false). */
  ok?: boolean;
}

export class OpsAlarms extends Construct {
  readonly topic: Topic;
  readonly deadLetterAlarm: Alarm;
  /** Every alarm here, for the dashboard's status row. */
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key, so the topic has its own key.
    const topicKey = new Key(this, 'TopicKey', {
      description: 'Encrypts portal-onboarding alarm notifications',
      enableKeyRotation: true,
      // Only alarm notifications in flight are encrypted with it; nothing at rest depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } };
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: fromThisAccount,
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: topicKey, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    this.topic.addSubscription(new EmailSubscription(props.opsEmail));
    const notifyOps = new SnsAction(this.topic);

    // Each alarm tells the ops inbox when it fires and, unless noted, when it clears.
    const alarm = (id: string, alarmDescription: string, metric: IMetric, threshold: number, options: AlarmOptions = {}) => {
      const made = new Alarm(this, id, {
        alarmDescription,
        metric,
        threshold,
        comparisonOperator: options.above ? ComparisonOperator.GREATER_THAN_THRESHOLD : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: options.missingData ?? TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(notifyOps);
      if (options.ok !== false) made.addOkAction(notifyOps);
      this.alarms.push(made);
      return made;
    };
    const deadLetters = (queue: IQueue) => queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' });

    // Any dead letter is a ticket request nobody will see until it is redriven (npm run redrive-dlq).
    this.deadLetterAlarm = alarm(
      'TicketDeadLetters',
      'A verification-bypass ticket request reached the DLQ: fix the cause, then npm run redrive-dlq',
      deadLetters(props.ticketDeadLetterQueue),
      1,
    );
    // A dead SES event is a bounce or complaint nobody recorded: the invitation still looks sent, the advisor untold.
    alarm(
      'EmailEventDeadLetters',
      'An SES bounce, complaint or delivery event reached its DLQ: see record-email-events logs, fix the cause, then redrive it',
      deadLetters(props.emailEventDeadLetterQueue),
      1,
    );
    // A dead upload event leaves its item scanning (or requested) for good: the client and advisor see no outcome.
    alarm(
      'DocumentUploadDeadLetters',
      'An upload or scan-result event reached its DLQ: see record-document-uploads logs, fix the cause, then redrive it with --documents',
      deadLetters(props.documentUploadDeadLetterQueue),
      1,
    );
    // Client input never causes a 5xx (SPEC section 6), so a burst of them means a bug or an outage.
    alarm('ApiServerErrors', 'The API answered 5xx at least 5 times in 5 minutes', props.apiStage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), 5, {
      ok: false,
    });
    alarm(
      'SweeperErrors',
      'The outbox sweeper failed in 3 of its last 15 runs: entries are backing off; see its logs for which and why',
      props.sweeper.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
      3,
    );
    alarm(
      'OutboxOldestEntry',
      `An email or ticket request has been owed for over ${outboxAgeAlarmSeconds / 60} minutes (OutboxOldestEntryAgeSeconds)`,
      portalMetric(outboxMetrics.oldestEntryAge, 'Maximum'),
      outboxAgeAlarmSeconds,
    );
    alarm(
      'OutboxStuckEntries',
      'The sweeper set an outbox entry aside after its try limit: list them with `npx tsx infra/ops/outbox-stuck.ts --table NAME`, fix the cause, then add --retry',
      portalMetric(outboxMetrics.stuckEntries, 'Maximum'),
      1,
    );
    alarm(
      'TicketQueueOldestMessage',
      `A ticket request has waited on the queue for over ${queueAgeAlarmSeconds / 60} minutes: the ops function is failing or throttled`,
      props.ticketQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      queueAgeAlarmSeconds,
    );
    // The sweeper measures the oldest open ticket every minute, 0 when none is open, so data goes missing only
    // when the sweeper fails, which SweeperErrors reports: the alarm then keeps its state rather than claim OK.
    alarm(
      'TicketSla',
      `A verification ticket has been open for over ${props.ticketSlaSeconds / 3600} hours (the ops desk's SLA): claim and decide it in the ops console`,
      portalMetric(ticketSlaMetrics.oldestOpenTicketAge, 'Maximum'),
      props.ticketSlaSeconds,
      { above: true, missingData: TreatMissingData.IGNORE },
    );
  }
}
