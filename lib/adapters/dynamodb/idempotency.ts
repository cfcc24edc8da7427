import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore } from '../../http/idempotency.ts';
import type { Reply } from '../../http/response.ts';
import { ttlAttribute } from '../../../infra/table-design.ts';
import { documents, isConditionFailure, itemOnConditionFailure, tableCall } from './client.ts';
import { table } from './transact.ts';

const keepSeconds = 24 * 60 * 60;
/** Longer than any handler's timeout, so only a crashed request's claim is ever taken over. */
const leaseMs = 30_000;

const itemKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

export const dynamoIdempotency: IdempotencyStore = {
  async claim(key, requestHash, now) {
    const epoch = Math.floor(now.getTime() / 1000);
    try {
      await tableCall(() =>
        documents.send(
          new PutCommand({
            TableName: table(),
            Item: {
              ...itemKey(key),
              entity: 'idempotency',
              requestHash,
              state: 'in_progress',
              leaseUntil: now.getTime() + leaseMs,
              [ttlAttribute]: epoch + keepSeconds,
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR #ttl < :epoch OR (#state = :inProgress AND leaseUntil < :nowMs)',
            ExpressionAttributeNames: { '#ttl': ttlAttribute, '#state': 'state' },
            ExpressionAttributeValues: { ':epoch': epoch, ':inProgress': 'in_progress', ':nowMs': now.getTime() },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { kind: 'new' };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = itemOnConditionFailure(error) ?? {};
      if (old.requestHash !== requestHash) return { kind: 'mismatch' };
      if (old.state === 'completed') return { kind: 'replay', reply: old.reply as Reply };
      return { kind: 'in_progress' };
    }
  },

  async complete(key, reply) {
    await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: itemKey(key),
          UpdateExpression: 'SET #state = :completed, reply = :reply',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':completed': 'completed', ':reply': reply },
        }),
      ),
    );
  },

  async release(key) {
    try {
      await tableCall(() =>
        documents.send(
          new DeleteCommand({
            TableName: table(),
            Key: itemKey(key),
            ConditionExpression: '#state = :inProgress',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':inProgress': 'in_progress' },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },
};
