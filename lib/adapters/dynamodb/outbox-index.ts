import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documents, tableCall } from './client.ts';
import { table } from './transact.ts';

/**
 * The items of one partition of the sparse `outbox` index (owed work, the expiry schedule, advisor notices, unpublished
 * events) whose sort key, which starts with a due time, comes before `before`: the oldest first, at most `limit`.
 */
export const dueIn = async (partition: string, before: string, limit: number): Promise<Record<string, unknown>[]> => {
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'outbox',
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
        ExpressionAttributeValues: { ':pk': partition, ':before': before },
        Limit: limit,
      }),
    ),
  );
  return result.Items ?? [];
};
