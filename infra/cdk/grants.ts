// Least-privilege statements for the data resources, written out rather than CDK's grant helpers: those add
// dynamodb:Scan (SPEC section 6 allows none in request paths), `index/*` and `kms:GenerateDataKey*`-style
// wildcards. Each KMS statement is bound to the one service it is for, so the shared data key cannot be
// used directly, nor through another service.
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { tableIndexes } from '../table-design.ts';
import type { PortalData } from './stateful-stack.ts';

const tableRead = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const tableWrite = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
// DynamoDB uses the key with the caller's rights: readers decrypt; writers get the named forms of what CDK's
// grantReadWriteData allows (kms:ReEncrypt*, kms:GenerateDataKey*), less the asymmetric key-pair calls.
const tableKeyRead = ['kms:Decrypt'];
const tableKeyWrite = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Only when the named service, in the key's region, uses the key on the caller's behalf. */
const viaService = (data: PortalData, service: string) => ({
  StringEquals: { 'kms:ViaService': `${service}.${Stack.of(data.dataKey).region}.amazonaws.com` },
});

const allow = (grantee: IGrantable, statement: PolicyStatement): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(statement);
};

/** The table and each of its indexes by name (Query needs the index ARN); never Scan. */
export const grantTableAccess = (grantee: IGrantable, data: PortalData, mode: 'read' | 'readwrite'): void => {
  const { table, dataKey } = data;
  allow(
    grantee,
    new PolicyStatement({
      actions: mode === 'read' ? tableRead : [...tableRead, ...tableWrite],
      resources: [table.tableArn, ...tableIndexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
  );
  allow(
    grantee,
    new PolicyStatement({
      actions: mode === 'read' ? tableKeyRead : [...tableKeyRead, ...tableKeyWrite],
      resources: [dataKey.keyArn],
      conditions: viaService(data, 'dynamodb'),
    }),
  );
};

/** SendMessage (and SendMessageBatch, which it covers); SQS generates the data key on the sender's behalf. */
export const grantTicketSend = (grantee: IGrantable, data: PortalData): void => {
  allow(grantee, new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [data.ticketQueue.queueArn] }));
  allow(
    grantee,
    new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [data.dataKey.keyArn],
      conditions: viaService(data, 'sqs'),
    }),
  );
};

/**
 * Reads the account-hash key. Not secret.grantRead(): that puts its KMS half into the data key's policy,
 * making the stateful stack depend on this role (a cycle), and it adds DescribeSecret, which nothing uses.
 */
export const grantAccountKeyRead = (grantee: IGrantable, data: PortalData): void => {
  allow(grantee, new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [data.accountKeySecret.secretArn] }));
  allow(
    grantee,
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [data.dataKey.keyArn],
      conditions: viaService(data, 'secretsmanager'),
    }),
  );
};
