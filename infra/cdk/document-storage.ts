// Clients' uploaded documents: the bucket (KMS under the data key, never public, owner-enforced, TLS only, expiring
// after the retention period), its access logs, and the queue its ObjectCreated events go to, with a DLQ, drained by
// functions/record-document-uploads.ts. Lives in the stateful stack: documents must outlive any deploy.
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption, QueuePolicy } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { documentUploads } from '../../lib/settings/timing.ts';
import { MalwareScanning } from './malware-scanning.ts';
import type { DocumentUse } from '../routes.ts';

export interface DocumentStorageProps {
  dataKey: Key;
  /** The portal's origin, the only one whose page may post an upload form to the bucket. */
  portalUrl: string;
  /** Days a document is kept after its upload; then S3 deletes it. */
  retentionDays: number;
}

/** Where every upload key starts (lib/domain/document-upload.ts uploadKey). */
export const uploadPrefix = 'households/';

/**
 * The bucket's name, the same in either stack: named ahead, so the queue's policy can name the bucket before the
 * bucket (whose notification S3 checks against that policy) exists, and so the app stack names it without an export.
 */
export const documentBucketName = `portal-documents-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
const documentObjectsArn = `arn:${Aws.PARTITION}:s3:::${documentBucketName}/${uploadPrefix}*`;

export class DocumentStorage extends Construct {
  readonly bucket: Bucket;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DocumentStorageProps) {
    super(scope, id);
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${documentBucketName}`;

    const accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access logs are delivered only to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays + 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket holds the document bucket’s server access logs; logging it to itself would only log log writes.',
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(documentUploads.deadLetterRetentionDays),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of the document uploads queue; its messages are alarmed on and redriven by ops (npm run redrive-dlq).',
    });
    this.queue = new Queue(this, 'Uploads', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(documentUploads.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(documentUploads.retentionDays),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: documentUploads.maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // S3 (this bucket's events) and EventBridge (GuardDuty's scan results, infra/cdk/malware-scanning.ts) send to the
    // queue; each may use the key through SQS only.
    const queuePolicy = new QueuePolicy(this, 'UploadsPolicy', { queues: [this.queue] });
    queuePolicy.document.addStatements(
      new PolicyStatement({
        principals: [new ServicePrincipal('s3.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': bucketArn }, StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    for (const sender of [{ service: 's3.amazonaws.com' }, { service: 'events.amazonaws.com' }]) {
      props.dataKey.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(sender.service)],
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    }

    this.bucket = new Bucket(this, 'Bucket', {
      bucketName: documentBucketName,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.dataKey,
      // One data key per bucket rather than a KMS call per object.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'documents/',
      lifecycleRules: [
        { id: 'Retention', prefix: uploadPrefix, expiration: Duration.days(props.retentionDays) },
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      cors: [{ allowedMethods: [HttpMethods.POST], allowedOrigins: [props.portalUrl], allowedHeaders: ['*'], maxAge: 300 }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      queueConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          queue: this.queue.queueArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: uploadPrefix }] } },
        },
      ],
    };
    // S3 checks it may send to the queue when the notification is set.
    this.bucket.node.addDependency(queuePolicy);

    new MalwareScanning(this, 'MalwareScanning', {
      bucket: this.bucket,
      bucketName: documentBucketName,
      dataKey: props.dataKey, prefix: uploadPrefix, queue: this.queue, queuePolicy });
  }
}

/**
 * A function's use of the documents: `upload` signs upload forms (PutObject), `download` signs download links
 * (GetObject), `manage` inspects and deletes what landed, `purge` lists and deletes a deleted household's objects.
 * Objects under the upload prefix only, the key through S3 only.
 */
export const grantDocumentAccess = (grantee: IGrantable, key: Key, use: DocumentUse): void => {
  const actions = { upload: ['s3:PutObject'], download: ['s3:GetObject'], manage: ['s3:GetObject', 's3:DeleteObject'], purge: ['s3:DeleteObject'] }[use];
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [documentObjectsArn] }));
  const keyUse =
    use === 'purge'
      ? // ListObjectsV2 is the bucket's action, narrowed to the upload prefix; deleting reads no content, so no key.
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [`arn:${Aws.PARTITION}:s3:::${documentBucketName}`],
          conditions: { StringLike: { 's3:prefix': [`${uploadPrefix}*`] } },
        })
      : new PolicyStatement({
          actions: use === 'upload' ? ['kms:GenerateDataKey'] : ['kms:Decrypt'],
          resources: [key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
        });
  principal.addToPrincipalPolicy(keyUse);
  if (principal instanceof Construct) Validations.of(principal).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::portal-documents-<AWS::AccountId>-<AWS::Region>/${uploadPrefix}*]`,
    reason: 'Clients’ files are kept under server-chosen keys below households/ (one per upload); a function may reach those objects only.',
  });
};
