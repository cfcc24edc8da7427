// SES's bounce, complaint and delivery events in AWS: the configuration set publishes them to an encrypted topic,
// which feeds a queue with a dead-letter queue that pages ops, drained by functions/record-email-events.ts.
import { describe, expect, it } from 'vitest';
import { functions, type FunctionName } from '../../infra/routes.ts';
import { emailEvents, functionTimeoutSeconds } from '../../lib/settings/timing.ts';
import { roleStatements, actionsOf } from './policy-statements.ts';
import { ofType, refersTo, single, useSynthesizedPortal, type CfnResource } from './synth.ts';

const portal = useSynthesizedPortal();

const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
const consumer = Object.entries(functions).find(([, spec]) => (spec as { trigger?: { kind: string } }).trigger?.kind === 'emailEvents')![0] as FunctionName;
const resources = () => portal.codeResources;
const idOf = (type: string, prefix: string): [string, CfnResource] => ofType(resources(), type).find(([id]) => id.startsWith(prefix))!;

describe('SES events', () => {
  it('publishes bounces, complaints and deliveries of the configuration set the senders use to the events topic', () => {
    const [, destination] = single(resources(), 'AWS::SES::ConfigurationSetEventDestination');
    const [configSetId] = single(resources(), 'AWS::SES::ConfigurationSet');
    const [topicId] = idOf('AWS::SNS::Topic', 'EmailEventsTopic');
    expect(props(destination).ConfigurationSetName).toEqual({ Ref: configSetId });
    expect(props(destination).EventDestination).toEqual({
      Enabled: true,
      MatchingEventTypes: ['bounce', 'complaint', 'delivery'],
      SnsDestination: { TopicARN: { Ref: topicId } },
    });
  });

  it('lets SES publish to the encrypted topic for that configuration set only, over TLS only', () => {
    const [topicId, topic] = idOf('AWS::SNS::Topic', 'EmailEventsTopic');
    const [keyId, key] = idOf('AWS::KMS::Key', 'EmailEventsKey');
    expect(refersTo(props(topic).KmsMasterKeyId, keyId)).toBe(true);
    expect(props(key).EnableKeyRotation).toBe(true);
    const [, policy] = ofType(resources(), 'AWS::SNS::TopicPolicy').find(([, p]) => refersTo(props(p).Topics, topicId))!;
    const statements = props(policy).PolicyDocument.Statement as Record<string, any>[];
    const sesPublish = statements.find((s) => s.Effect === 'Allow')!;
    expect(sesPublish).toMatchObject({ Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } });
    expect(JSON.stringify(sesPublish.Condition.StringEquals['AWS:SourceArn'])).toContain(':configuration-set/');
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const sesKeyUse = (props(key).KeyPolicy.Statement as Record<string, any>[]).find((s) => s.Principal?.Service === 'ses.amazonaws.com');
    expect(sesKeyUse).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });

  it('delivers the topic to an encrypted queue, as SNS envelopes, that moves an event it cannot record to a longer-lived DLQ', () => {
    const [queueId, queue] = idOf('AWS::SQS::Queue', 'EmailEventsQueue');
    const [dlqId, dlq] = idOf('AWS::SQS::Queue', 'EmailEventsDeadLetters');
    const [keyId] = idOf('AWS::KMS::Key', 'EmailEventsKey');
    const [, subscription] = ofType(resources(), 'AWS::SNS::Subscription').find(([, s]) => props(s).Protocol === 'sqs')!;
    expect(refersTo(props(subscription).Endpoint, queueId)).toBe(true);
    expect(props(subscription).RawMessageDelivery).toBeUndefined();
    expect(props(queue).RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: emailEvents.maxReceiveCount });
    expect(props(queue).VisibilityTimeout).toBeGreaterThanOrEqual(6 * functionTimeoutSeconds.emailEvents);
    expect(props(dlq).MessageRetentionPeriod).toBeGreaterThan(props(queue).MessageRetentionPeriod);
    for (const [id, q] of [[queueId, queue], [dlqId, dlq]] as const) {
      expect(refersTo(props(q).KmsMasterKeyId, keyId), id).toBe(true);
      const [, policy] = ofType(resources(), 'AWS::SQS::QueuePolicy').find(([, p]) => refersTo(props(p).Queues, id))!;
      expect(props(policy).PolicyDocument.Statement, id).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('drains the queue into the email-events function, which decrypts only through SQS and may send the advisor email', () => {
    const [queueId] = idOf('AWS::SQS::Queue', 'EmailEventsQueue');
    const [, mapping] = ofType(resources(), 'AWS::Lambda::EventSourceMapping').find(([, m]) => refersTo(props(m).EventSourceArn, queueId))!;
    expect(props(mapping)).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], FunctionName: { Ref: portal.functionLogicalIds.get(consumer) } });
    const role = props(resources()[portal.functionLogicalIds.get(consumer)!]!).Role['Fn::GetAtt'][0];
    const statements = roleStatements(resources(), role);
    const receive = statements.find((found) => actionsOf(found).includes('sqs:ReceiveMessage'))!;
    expect(refersTo(receive.statement.Resource, queueId)).toBe(true);
    const decrypt = statements.find((found) => actionsOf(found).includes('kms:Decrypt') && JSON.stringify(found.statement.Condition).includes('sqs.'));
    expect(decrypt).toBeDefined();
    expect(statements.flatMap(actionsOf)).toContain('ses:SendEmail');
  });

  it('pages ops when an event reaches the DLQ', () => {
    const [dlqId] = idOf('AWS::SQS::Queue', 'EmailEventsDeadLetters');
    const [, alarm] = ofType(resources(), 'AWS::CloudWatch::Alarm').find(([, a]) => refersTo(props(a).Dimensions, dlqId))!;
    const [opsTopicId] = idOf('AWS::SNS::Topic', 'OpsAlarmsTopic');
    expect(props(alarm)).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(props(alarm).AlarmActions).toEqual([{ Ref: opsTopicId }]);
  });
});
