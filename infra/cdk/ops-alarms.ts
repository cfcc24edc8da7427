// Tells the ops inbox when a ticket request has died (DLQ) or the API fails (5xx), through an encrypted topic.
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OpsAlarmsProps {
  opsEmail: string;
  ticketDeadLetterQueue: IQueue;
  apiStage: IHttpStage;
}

export class OpsAlarms extends Construct {
  readonly topic: Topic;
  readonly deadLetterAlarm: Alarm;

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
  }
}
