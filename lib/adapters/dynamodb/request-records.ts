import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ttlAttribute } from '../../../infra/table-design.ts';
import { documents, tableCall } from './client.ts';
import { requestRecordKey, type RequestKind } from './keys.ts';
import { table, type TransactItem } from './transact.ts';

// A write can commit and its answer still be lost (a connection reset by a restarting DynamoDB); the API
// then answers 503 and frees the Idempotency-Key. A record of what the request saved, written in the same
// transaction, is how the retry learns that its first attempt committed, and what it made.

/** As long as the Idempotency-Key's own record (./idempotency.ts). */
const keepSeconds = 24 * 60 * 60;

/** The transaction item recording that this request saved `saved` (the ids that find it); fails while an earlier record lives. */
export const requestRecordPut = (
  kind: RequestKind,
  firmId: string,
  requestKey: string,
  saved: Record<string, string>,
): TransactItem => {
  const epoch = Math.floor(Date.now() / 1000);
  return {
    Put: {
      TableName: table(),
      Item: { ...requestRecordKey(kind, firmId, requestKey), entity: `${kind}-request`, ...saved, [ttlAttribute]: epoch + keepSeconds },
      ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :epoch',
      ExpressionAttributeNames: { '#ttl': ttlAttribute },
      ExpressionAttributeValues: { ':epoch': epoch },
    },
  };
};

/** The item an earlier attempt with this key saved, read consistently; `keyOf` turns the record's ids into its table key. */
export const savedByRequest = async (
  kind: RequestKind,
  firmId: string,
  requestKey: string,
  keyOf: (record: Record<string, unknown>) => Record<string, string>,
): Promise<Record<string, unknown> | undefined> => {
  const read = (Key: Record<string, string>) =>
    tableCall(() => documents.send(new GetCommand({ TableName: table(), Key, ConsistentRead: true })));
  const record = (await read(requestRecordKey(kind, firmId, requestKey))).Item;
  return record ? (await read(keyOf(record))).Item : undefined;
};
