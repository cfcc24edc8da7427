import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '../../domain/errors.ts';
import type { RequestMarker } from '../../domain/ports.ts';
import { heldClaim } from '../../http/idempotency.ts';
import { documents, tableCall } from './client.ts';
import { idempotencyKey } from './keys.ts';
import { table, type TransactItem } from './transact.ts';

// A write can commit and its answer still be lost (a connection reset by a restarting DynamoDB); the API then
// answers 503 and releases the Idempotency-Key claim. What the request saved is written onto that same claim in
// the write's own transaction, so the retry, which takes the claim over, learns what its first attempt made.

/** The transaction item writing `saved` (the ids that find what was saved) onto the request's claim, while it holds it. */
export const savedOnClaim = (marker: RequestMarker, saved: Record<string, string>): TransactItem => {
  const claim = heldClaim(marker);
  return {
    Update: {
      TableName: table(),
      Key: idempotencyKey(claim.key),
      UpdateExpression: 'SET saved = :saved',
      ConditionExpression: '#state = :inProgress AND #owner = :owner AND attribute_not_exists(saved)',
      ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: { ':saved': saved, ':inProgress': 'in_progress', ':owner': claim.owner },
    },
  };
};

/** The claim moved on to another attempt that has saved nothing yet: this one stops, the other answers. */
export const inProgress = () => new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry shortly');

/** The item an earlier attempt under this claim saved, read consistently; `keyOf` turns its ids into its table key. */
export const savedByRequest = async (
  marker: RequestMarker,
  keyOf: (saved: Record<string, unknown>) => Record<string, string>,
): Promise<Record<string, unknown> | undefined> => {
  const read = (Key: Record<string, string>) =>
    tableCall(() => documents.send(new GetCommand({ TableName: table(), Key, ConsistentRead: true })));
  const saved = (await read(idempotencyKey(heldClaim(marker).key))).Item?.saved as Record<string, unknown> | undefined;
  return saved ? (await read(keyOf(saved))).Item : undefined;
};
