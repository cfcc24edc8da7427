import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyStore } from '../../http/idempotency.ts';
import type { Reply } from '../../http/response.ts';
import { ttlAttribute } from '../../../infra/table-design.ts';
import { idempotency } from '../../settings/timing.ts';
import { documents, isConditionFailure, itemOnConditionFailure, tableCall } from './client.ts';
import { table } from './transact.ts';

/** The lease outlives any API function's timeout, so only a crashed request's claim is ever taken over. */
const { keepSeconds, leaseMs } = idempotency;

const itemKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

// Every claim names its owner (a random id per request): a request whose lease ran out and was taken over
// can neither free nor finish the claim of the request that took it, which may be running the work right now.
const ownedInProgress = {
  ConditionExpression: '#state = :inProgress AND #owner = :owner',
  names: { '#state': 'state', '#owner': 'owner' },
};

export const dynamoIdempotency: IdempotencyStore = {
  async claim(key, requestHash, now) {
    const epoch = Math.floor(now.getTime() / 1000);
    const owner = randomUUID();
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
              owner,
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
      return { kind: 'new', owner };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = itemOnConditionFailure(error) ?? {};
      if (old.requestHash !== requestHash) return { kind: 'mismatch' };
      if (old.state === 'completed') return { kind: 'replay', reply: old.reply as Reply };
      return { kind: 'in_progress' };
    }
  },

  async complete(key, owner, reply) {
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: itemKey(key),
            UpdateExpression: 'SET #state = :completed, reply = :reply REMOVE leaseUntil',
            ConditionExpression: ownedInProgress.ConditionExpression,
            ExpressionAttributeNames: ownedInProgress.names,
            ExpressionAttributeValues: { ':completed': 'completed', ':reply': reply, ':inProgress': 'in_progress', ':owner': owner },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  },

  async release(key, owner) {
    try {
      await tableCall(() =>
        documents.send(
          new DeleteCommand({
            TableName: table(),
            Key: itemKey(key),
            ConditionExpression: ownedInProgress.ConditionExpression,
            ExpressionAttributeNames: ownedInProgress.names,
            ExpressionAttributeValues: { ':inProgress': 'in_progress', ':owner': owner },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },
};
