// The SLA's one read: when the oldest ticket still open was raised, across every firm. Each shard of the byStatus
// index keeps its open tickets oldest first, so the oldest is the least of each shard's first entry: one key-only
// item per shard, read in parallel, whatever the number of open tickets.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketStatus } from '../../schemas/invitations.ts';
import { documents, tableCall } from './client.ts';
import { ticketShards, ticketsByStatusShard } from './keys.ts';
import { table } from './transact.ts';

const open: TicketStatus = 'open';

/** The first list position (createdAt#ticketId) of one shard's open tickets, if it has any. */
const firstInShard = async (shard: number): Promise<string | undefined> => {
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byStatus',
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'gsi2pk', '#sk': 'gsi2sk' },
        ExpressionAttributeValues: { ':pk': ticketsByStatusShard(open, shard) },
        ProjectionExpression: '#sk',
        ScanIndexForward: true,
        Limit: 1,
      }),
    ),
  );
  const position = result.Items?.[0]?.gsi2sk;
  return typeof position === 'string' ? position : undefined;
};

/** When the oldest open ticket, of any firm, was raised (its createdAt); undefined when no ticket is open. */
export const oldestOpenTicket = async (): Promise<string | undefined> => {
  const firsts = await Promise.all(Array.from({ length: ticketShards }, (_, shard) => firstInShard(shard)));
  // Positions start with an ISO timestamp of fixed width, so the smallest string is the oldest ticket.
  const oldest = firsts.filter((position): position is string => position !== undefined).sort()[0];
  return oldest?.slice(0, oldest.indexOf('#'));
};
