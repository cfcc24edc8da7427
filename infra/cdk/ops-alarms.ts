// Tells the ops inbox, through an encrypted topic, when a ticket request has died (DLQ) or waits too long (queue
// age, outbox age, stuck outbox entries), when the sweeper fails, when the API fails (5xx), or when a ticket has
// been open longer than the ops desk's SLA.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
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

    // Any dead letter is a ticket request nobody will see until it is redriven (npm run redrive-dlq).
    this.deadLetterAlarm = new Alarm(this, 'TicketDeadLetters', {
      alarmDescription: 'A verification-bypass ticket request reached the DLQ: fix the cause, then npm run redrive-dlq',
      metric: props.ticketDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(notifyOps);
    this.deadLetterAlarm.addOkAction(notifyOps);

    // A dead SES event is a bounce or complaint nobody recorded: the invitation still looks sent, the advisor untold.
    const emailEventDeadLetters = new Alarm(this, 'EmailEventDeadLetters', {
      alarmDescription: 'An SES bounce, complaint or delivery event reached its DLQ: see record-email-events logs, fix the cause, then redrive it',
      metric: props.emailEventDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    emailEventDeadLetters.addAlarmAction(notifyOps);
    emailEventDeadLetters.addOkAction(notifyOps);

    // A dead upload event leaves its item scanning (or requested) for good: the client and advisor see no outcome.
    const documentUploadDeadLetters = new Alarm(this, 'DocumentUploadDeadLetters', {
      alarmDescription: 'An upload or scan-result event reached its DLQ: see record-document-uploads logs, fix the cause, then redrive it with --documents',
      metric: props.documentUploadDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    documentUploadDeadLetters.addAlarmAction(notifyOps);
    documentUploadDeadLetters.addOkAction(notifyOps);

    // Client input never causes a 5xx (SPEC section 6), so a burst of them means a bug or an outage.
    const serverErrors = new Alarm(this, 'ApiServerErrors', {
      alarmDescription: 'The API answered 5xx at least 5 times in 5 minutes',
      metric: props.apiStage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    serverErrors.addAlarmAction(notifyOps);
    this.alarms.push(this.deadLetterAlarm, emailEventDeadLetters, documentUploadDeadLetters, serverErrors);

    const alarms: [string, string, Alarm['metric'], number][] = [
      [
        'SweeperErrors',
        'The outbox sweeper failed in 3 of its last 15 runs: entries are backing off; see its logs for which and why',
        props.sweeper.metricErrors({ period: Duration.minutes(15), statistic: 'Sum' }),
        3,
      ],
      [
        'OutboxOldestEntry',
        `An email or ticket request has been owed for over ${outboxAgeAlarmSeconds / 60} minutes (OutboxOldestEntryAgeSeconds)`,
        portalMetric(outboxMetrics.oldestEntryAge, 'Maximum'),
        outboxAgeAlarmSeconds,
      ],
      [
        'OutboxStuckEntries',
        'The sweeper set an outbox entry aside after its try limit: list them with `npx tsx infra/ops/outbox-stuck.ts --table NAME`, fix the cause, then add --retry',
        portalMetric(outboxMetrics.stuckEntries, 'Maximum'),
        1,
      ],
      [
        'TicketQueueOldestMessage',
        `A ticket request has waited on the queue for over ${queueAgeAlarmSeconds / 60} minutes: the ops function is failing or throttled`,
        props.ticketQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
        queueAgeAlarmSeconds,
      ],
    ];
    for (const [id, alarmDescription, metric, threshold] of alarms) {
      const alarm = new Alarm(this, id, {
        alarmDescription,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notifyOps);
      alarm.addOkAction(notifyOps);
      this.alarms.push(alarm);
    }

    // The sweeper measures the oldest open ticket every minute, 0 when none is open, so data goes missing only
    // when the sweeper fails, which SweeperErrors reports: the alarm then keeps its state rather than claim OK.
    const ticketSla = new Alarm(this, 'TicketSla', {
      alarmDescription: `A verification ticket has been open for over ${props.ticketSlaSeconds / 3600} hours (the ops desk's SLA): claim and decide it in the ops console`,
      metric: portalMetric(ticketSlaMetrics.oldestOpenTicketAge, 'Maximum'),
      threshold: props.ticketSlaSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.IGNORE,
    });
    ticketSla.addAlarmAction(notifyOps);
    ticketSla.addOkAction(notifyOps);
    this.alarms.push(ticketSla);
  }
}
