import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documents, tableCall } from './client.ts';

/** Every item one Query finds, page after page, each page a table call (so an outage is a clean 503). */
export const queryAll = async (input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await tableCall(() => documents.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};
