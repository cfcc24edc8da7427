// Least-privilege statements for the data resources, written out rather than CDK's grant helpers: those add
// dynamodb:Scan (SPEC section 6 allows none in request paths), `index/*` and `kms:GenerateDataKey*`-style
// wildcards. Each KMS statement is bound to the one service it is for, so the shared data key cannot be
// used directly, nor through another service.
import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { LinkWrite } from '../routes.ts';
import { tableIndexes } from '../table-design.ts';
import type { PortalData } from './stateful-stack.ts';

// Only what the adapters call (no Batch*); a transaction needs each item's own action, ConditionCheckItem for its
// condition checks (a household still standing when something is filed under it, a link still live for a reminder).
const tableRead = ['dynamodb:GetItem', 'dynamodb:Query'];
const tableWrite = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
// DynamoDB uses the key with the caller's rights: readers decrypt; writers get the named forms of what CDK's
// grantReadWriteData allows (kms:ReEncrypt*, kms:GenerateDataKey*), less the asymmetric key-pair calls.
const tableKeyRead = ['kms:Decrypt'];
const tableKeyWrite = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

/** Only when the named service, in the key's region, uses the key on the caller's behalf. */
const viaService = (key: IKey, service: string) => ({
  StringEquals: { 'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com` },
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
      conditions: viaService(data.dataKey, 'dynamodb'),
    }),
  );
};

/** A UUID (lib/domain/ids.ts) in IAM's StringLike, where `?` is any one character. */
const uuidLike = '????????-????-????-????-????????????';

/**
 * Partition-key patterns of what link routes touch (lib/adapters/dynamodb/keys.ts). A link's token decides the
 * firm, so no firm can be named here: the household pattern is any household's partition (it must end in
 * `#HH#` and a household id), never a ticket, a firm's list or a request record.
 */
export const linkKeyPrefixes = {
  token: 'TOKEN#*',
  household: `FIRM#*#HH#${uuidLike}`,
  throttle: 'THROTTLE#*',
  linkIdempotency: 'IDEMPOTENCY#link#*',
  portalAccess: 'CLIENT#*',
  portalSession: 'PORTAL_SESSION#*',
} as const;

/** Exactly the writes each link step makes, by action and partition: anything else on the table is refused. */
const linkWriteGrants: Record<LinkWrite, { actions: string[]; prefix: string }[]> = {
  // attempt-counter.ts: one ADD per source and window.
  throttle: [{ actions: ['dynamodb:UpdateItem'], prefix: linkKeyPrefixes.throttle }],
  // idempotency.ts: claim (put), complete (update), release (delete), only under the link's own scope.
  idempotency: [
    { actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], prefix: linkKeyPrefixes.linkIdempotency },
  ],
  // invitation-changes.ts: wrong attempts, the lock and verified on the invitation; the lock's ticket request.
  verify: [{ actions: ['dynamodb:UpdateItem', 'dynamodb:PutItem'], prefix: linkKeyPrefixes.household }],
  // invitation-changes.ts accept: the invitation becomes accepted and its live-invitation lock goes; the client's
  // portal access is filed with it, and accepting from the portal's page starts a session (sessions.ts).
  // The acceptance's audit event is put in the household's partition in the same transaction.
  accept: [
    { actions: ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'], prefix: linkKeyPrefixes.household },
    { actions: ['dynamodb:PutItem'], prefix: linkKeyPrefixes.portalAccess },
    { actions: ['dynamodb:PutItem'], prefix: linkKeyPrefixes.portalSession },
  ],
};

const leadingKeys = (prefixes: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } });

/**
 * A link route's table access: GetItem on the link and its household only, and per action only the key prefixes
 * its steps write. No Query, no index, no Scan; never a ticket, a firm list, a staff idempotency claim or a link.
 */
export const grantLinkTableAccess = (grantee: IGrantable, data: PortalData, writes: readonly LinkWrite[]): void => {
  const { table, dataKey } = data;
  const prefixesByAction = new Map<string, Set<string>>([['dynamodb:GetItem', new Set([linkKeyPrefixes.token, linkKeyPrefixes.household])]]);
  const add = (action: string, prefix: string) => prefixesByAction.set(action, (prefixesByAction.get(action) ?? new Set()).add(prefix));
  for (const grant of writes.flatMap((write) => linkWriteGrants[write])) {
    grant.actions.forEach((action) => add(action, grant.prefix));
    // The counter's UPDATED_NEW and a claim's ALL_OLD on a failed condition read back the item just written.
    add('dynamodb:GetItem', grant.prefix);
  }
  for (const [action, prefixes] of prefixesByAction) {
    allow(grantee, new PolicyStatement({ actions: [action], resources: [table.tableArn], conditions: leadingKeys([...prefixes].sort()) }));
  }
  allow(
    grantee,
    new PolicyStatement({
      actions: writes.length === 0 ? tableKeyRead : [...tableKeyRead, ...tableKeyWrite],
      resources: [dataKey.keyArn],
      conditions: viaService(data.dataKey, 'dynamodb'),
    }),
  );
};

/**
 * What the Lambda service needs to drain a queue encrypted under `key` for the consumer: the calls SqsEventSource
 * would grant, with its kms:Decrypt bound to SQS (the event source adds it with no kms:ViaService, usable on the key
 * directly).
 */
export const grantQueueConsume = (grantee: IGrantable, queue: IQueue, key: IKey): void => {
  allow(
    grantee,
    new PolicyStatement({
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
      resources: [queue.queueArn],
    }),
  );
  allow(grantee, new PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn], conditions: viaService(key, 'sqs') }));
};

/** SendMessage (and SendMessageBatch, which it covers); SQS generates the data key on the sender's behalf. */
export const grantTicketSend = (grantee: IGrantable, data: PortalData): void => {
  allow(grantee, new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [data.ticketQueue.queueArn] }));
  allow(
    grantee,
    new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [data.dataKey.keyArn],
      conditions: viaService(data.dataKey, 'sqs'),
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
      conditions: viaService(data.dataKey, 'secretsmanager'),
    }),
  );
};

/** The ticket queue, for the ops function. */
export const grantTicketConsume = (grantee: IGrantable, data: PortalData): void => grantQueueConsume(grantee, data.ticketQueue, data.dataKey);
