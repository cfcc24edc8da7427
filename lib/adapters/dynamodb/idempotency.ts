import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Claim, IdempotencyStore } from '../../http/idempotency.ts';
import type { Reply } from '../../http/response.ts';
import { ttlAttribute } from '../../../infra/table-design.ts';
import { idempotency } from '../../settings/timing.ts';
import { conditionally, documents, isConditionFailure, itemOnConditionFailure, tableCall } from './client.ts';
import { idempotencyKey } from './keys.ts';
import { table } from './transact.ts';

/** The lease outlives any API function's timeout, so only a crashed request's claim is ever taken over. */
const { keepSeconds, leaseMs } = idempotency;

// Every claim names its owner (a random id per request): a request whose lease ran out and was taken over
// can neither free nor finish the claim of the request that took it, which may be running the work right now.
const ownedInProgress = {
  ConditionExpression: '#state = :inProgress AND #owner = :owner',
  names: { '#state': 'state', '#owner': 'owner' },
};

/** A claim whose work saved something (`saved`) is never overwritten: a new owner takes it over, keeping `saved`. */
const takeOver = (key: string, old: Record<string, unknown>, owner: string, now: Date): Promise<boolean> =>
  conditionally(() =>
    documents.send(
      new UpdateCommand({
        TableName: table(),
        Key: idempotencyKey(key),
        UpdateExpression: 'SET #state = :inProgress, #owner = :owner, leaseUntil = :lease',
        ConditionExpression:
          '#state = :oldState AND requestHash = :hash AND attribute_exists(saved) AND ' +
          (old.owner === undefined ? 'attribute_not_exists(#owner)' : '#owner = :oldOwner'),
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':inProgress': 'in_progress',
          ':owner': owner,
          ':lease': now.getTime() + leaseMs,
          ':oldState': old.state,
          ':hash': old.requestHash,
          ...(old.owner === undefined ? {} : { ':oldOwner': old.owner }),
        },
      }),
    ),
  );

export const dynamoIdempotency: IdempotencyStore = {
  async claim(key, requestHash, now): Promise<Claim> {
    const epoch = Math.floor(now.getTime() / 1000);
    const owner = randomUUID();
    try {
      await tableCall(() =>
        documents.send(
          new PutCommand({
            TableName: table(),
            Item: {
              ...idempotencyKey(key),
              entity: 'idempotency',
              requestHash,
              state: 'in_progress',
              owner,
              leaseUntil: now.getTime() + leaseMs,
              [ttlAttribute]: epoch + keepSeconds,
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR #ttl < :epoch OR (#state = :inProgress AND leaseUntil < :nowMs AND attribute_not_exists(saved))',
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
      // Our own put, retried by the SDK after its answer was lost: the claim is this request's.
      if (old.owner === owner && old.state === 'in_progress') return { kind: 'new', owner };
      if (old.state === 'completed') return { kind: 'replay', reply: old.reply as Reply };
      // Released after its work saved something, or crashed after saving it: the retry runs and finds what was saved.
      const free = old.state === 'released' || (typeof old.leaseUntil === 'number' && old.leaseUntil < now.getTime());
      if (free && (await takeOver(key, old, owner, now))) return { kind: 'new', owner };
      return { kind: 'in_progress' };
    }
  },

  complete(key, owner, reply) {
    return conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: idempotencyKey(key),
          UpdateExpression: 'SET #state = :completed, reply = :reply REMOVE leaseUntil',
          ConditionExpression: ownedInProgress.ConditionExpression,
          ExpressionAttributeNames: ownedInProgress.names,
          ExpressionAttributeValues: { ':completed': 'completed', ':reply': reply, ':inProgress': 'in_progress', ':owner': owner },
        }),
      ),
    );
  },

  async release(key, owner) {
    const values = { ':inProgress': 'in_progress', ':owner': owner };
    const deleted = await conditionally(() =>
      documents.send(
        new DeleteCommand({
          TableName: table(),
          Key: idempotencyKey(key),
          ConditionExpression: `${ownedInProgress.ConditionExpression} AND attribute_not_exists(saved)`,
          ExpressionAttributeNames: ownedInProgress.names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (deleted) return;
    // The work saved something before it failed (its answer lost, say): keep what it saved for the retry.
    await conditionally(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: idempotencyKey(key),
          UpdateExpression: 'SET #state = :released REMOVE #owner, leaseUntil',
          ConditionExpression: `${ownedInProgress.ConditionExpression} AND attribute_exists(saved)`,
          ExpressionAttributeNames: ownedInProgress.names,
          ExpressionAttributeValues: { ...values, ':released': 'released' },
        }),
      ),
    );
  },
};
