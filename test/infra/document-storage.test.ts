// The document bucket as deployed: KMS under the data key, never public, owner-enforced, TLS only, files expiring
// after the retention period, browser posts from the portal only, and every upload's event on a queue with a DLQ.
import { describe, expect, it } from 'vitest';
import { defaultDocumentRetentionDays } from '../../infra/cdk/settings.ts';
import { documentUploads } from '../../lib/settings/timing.ts';
import { ofType, refersTo, useSynthesizedPortal, type CfnResource } from './synth.ts';

const portal = useSynthesizedPortal();

const props = (resource: CfnResource) => resource.Properties as Record<string, any>;
const documentBucket = () => ofType(portal.dataResources, 'AWS::S3::Bucket').find(([id]) => id.startsWith('DocumentsBucket'))!;
const documentQueues = () => ofType(portal.dataResources, 'AWS::SQS::Queue').filter(([id]) => id.startsWith('Documents'));

describe('the document bucket', () => {
  it('is encrypted with the data key, blocks all public access, enforces bucket-owner ownership and is kept', () => {
    const [, bucket] = documentBucket();
    const p = props(bucket);
    const [dataKeyId] = ofType(portal.dataResources, 'AWS::KMS::Key')[0]!;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0]).toMatchObject({
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
      BucketKeyEnabled: true,
    });
    expect(refersTo(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID, dataKeyId)).toBe(true);
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(p.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  it('refuses any request without TLS', () => {
    const [bucketId] = documentBucket();
    const [, policy] = ofType(portal.dataResources, 'AWS::S3::BucketPolicy').find(([, found]) => refersTo(props(found).Bucket, bucketId))!;
    expect(props(policy).PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('deletes uploads after the retention period and abandoned multipart uploads after a day', () => {
    const rules = props(documentBucket()[1]).LifecycleConfiguration.Rules;
    expect(rules).toContainEqual(expect.objectContaining({ Prefix: 'households/', ExpirationInDays: defaultDocumentRetentionDays, Status: 'Enabled' }));
    expect(rules).toContainEqual(expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }));
  });

  it("takes browser posts from the portal's origin only", () => {
    expect(props(documentBucket()[1]).CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['POST'], AllowedOrigins: ['https://portal.example.com'] }),
    ]);
  });

  it('sends every ObjectCreated event under households/ to the uploads queue, which has a longer-lived DLQ', () => {
    const [queueId, queue] = documentQueues().find(([, found]) => props(found).RedrivePolicy)!;
    const [dlqId, dlq] = documentQueues().find(([, found]) => !props(found).RedrivePolicy)!;
    const [notification] = props(documentBucket()[1]).NotificationConfiguration.QueueConfigurations;
    expect(notification).toMatchObject({ Event: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'households/' }] } } });
    expect(refersTo(notification.Queue, queueId)).toBe(true);
    expect(props(queue).RedrivePolicy.maxReceiveCount).toBe(documentUploads.maxReceiveCount);
    expect(refersTo(props(queue).RedrivePolicy.deadLetterTargetArn, dlqId)).toBe(true);
    expect(props(dlq).MessageRetentionPeriod).toBeGreaterThan(props(queue).MessageRetentionPeriod);
    expect(props(queue).KmsMasterKeyId).toBeDefined();
  });
});

describe('malware scanning', () => {
  it('has GuardDuty scan every new upload of the bucket and its results reach the uploads queue', () => {
    const [, plan] = ofType(portal.dataResources, 'AWS::GuardDuty::MalwareProtectionPlan')[0]!;
    const name = JSON.stringify(props(documentBucket()[1]).BucketName);
    expect(JSON.stringify(props(plan).ProtectedResource.S3Bucket.BucketName)).toBe(name);
    expect(props(plan).ProtectedResource.S3Bucket.ObjectPrefixes).toEqual(['households/']);
    const [, rule] = ofType(portal.dataResources, 'AWS::Events::Rule').find(([id]) => id.startsWith('Documents'))!;
    expect(props(rule).EventPattern).toMatchObject({
      source: ['aws.guardduty'],
      'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
    });
    expect(JSON.stringify(props(rule).EventPattern.detail.s3ObjectDetails.bucketName[0])).toBe(name);
    const [queueId] = documentQueues().find(([, found]) => props(found).RedrivePolicy)!;
    expect(refersTo(props(rule).Targets, queueId)).toBe(true);
  });
});

describe('operating the uploads queue', () => {
  it('pages ops when an upload or scan result reaches the DLQ, and outputs both queue URLs for the redrive', () => {
    const [dlqId] = documentQueues().find(([, found]) => !props(found).RedrivePolicy)!;
    const [queueId] = documentQueues().find(([, found]) => props(found).RedrivePolicy)!;
    const [, alarm] = ofType(portal.codeResources, 'AWS::CloudWatch::Alarm').find(([id]) => id.includes('DocumentUploadDeadLetters'))!;
    const [opsTopicId] = ofType(portal.codeResources, 'AWS::SNS::Topic').find(([id]) => id.startsWith('OpsAlarmsTopic'))!;
    expect(refersTo(props(alarm).Dimensions, dlqId)).toBe(true);
    expect(props(alarm)).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(props(alarm).AlarmActions).toEqual([{ Ref: opsTopicId }]);
    const outputs = portal.data.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(refersTo(outputs.DocumentUploadsQueueUrl!.Value, queueId)).toBe(true);
    expect(refersTo(outputs.DocumentUploadsDeadLetterQueueUrl!.Value, dlqId)).toBe(true);
  });
});
