// The ops work list: one status, oldest first, across every firm (a k-way merge of the status's shards of the byStatus
// index) or within one (a single partition of byFirm). No Scan, and no partition takes every firm's tickets.
//
// Every partition is read after the same position, `after` (a list position: createdAt#ticketId), so a page is the
// oldest `limit` tickets past it. A partition read stops at `limit` items (or at 1 MB) and reports how far it read;
// only tickets up to the nearest such frontier are certain to be in order, so a page ends there and the next one
// starts after its last ticket. With a reason or assignee filter a read may match few of the items it evaluates, so
// the page reads on (a few rounds) to fill up, and may still come back short with a cursor: follow it.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, WorkListFilter } from '../../domain/ports.ts';
import type { Ticket } from '../../domain/ticket.ts';
import { documents, tableCall } from './client.ts';
import { decodeCursor, encodeCursor, type CursorScope } from './cursor.ts';
import { expression } from './expression.ts';
import { firmTicketsByStatus, ticketShards, ticketsByStatusShard } from './keys.ts';
import { fromTicketItem, ticketListPosition } from './ticket-items.ts';
import { table } from './transact.ts';

/** Reads a short page goes on for before it answers with what it has and a cursor. */
const fillRounds = 4;

interface Source {
  index: 'byFirm' | 'byStatus';
  keys: { partition: 'gsi1pk' | 'gsi2pk'; position: 'gsi1sk' | 'gsi2sk' };
  partitions: string[];
}

const sourceOf = (filter: WorkListFilter): Source =>
  filter.firmId === undefined
    ? {
        index: 'byStatus',
        keys: { partition: 'gsi2pk', position: 'gsi2sk' },
        partitions: Array.from({ length: ticketShards }, (_, shard) => ticketsByStatusShard(filter.status, shard)),
      }
    : { index: 'byFirm', keys: { partition: 'gsi1pk', position: 'gsi1sk' }, partitions: [firmTicketsByStatus(filter.firmId, filter.status)] };

/** A cursor names the list it came from, filters included, and only the position to go on after. */
const scopeOf = (filter: WorkListFilter): CursorScope => ({
  attribute: 'list',
  value: ['tickets', filter.status, filter.firmId ?? '*', filter.reason ?? '*', filter.assignee === null ? 'none' : (filter.assignee ?? '*')].join('|'),
  keyNames: ['list', 'after'],
});

interface PartitionRead {
  tickets: Ticket[];
  /** The position this read got to; undefined when the partition has nothing more. */
  frontier: string | undefined;
}

const readPartition = async (source: Source, partition: string, filter: WorkListFilter, after: string | undefined, limit: number): Promise<PartitionRead> => {
  const e = expression();
  const key = [`${e.name(source.keys.partition)} = ${e.value(partition)}`];
  if (after !== undefined) key.push(`${e.name(source.keys.position)} > ${e.value(after)}`);
  const filters: string[] = [];
  if (filter.reason !== undefined) filters.push(`${e.name('reason')} = ${e.value(filter.reason)}`);
  if (filter.assignee === null) filters.push(`attribute_not_exists(${e.name('assignee')})`);
  else if (filter.assignee !== undefined) filters.push(`${e.name('assignee')} = ${e.value(filter.assignee)}`);
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        IndexName: source.index,
        KeyConditionExpression: key.join(' AND '),
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: e.values,
        Limit: limit,
      }),
    ),
  );
  const frontier = result.LastEvaluatedKey?.[source.keys.position];
  return { tickets: (result.Items ?? []).map(fromTicketItem), frontier: typeof frontier === 'string' ? frontier : undefined };
};

/** One round: every partition read after `after`, merged up to the nearest frontier. */
const mergeRound = async (source: Source, filter: WorkListFilter, after: string | undefined, limit: number) => {
  const reads = await Promise.all(source.partitions.map((partition) => readPartition(source, partition, filter, after, limit)));
  const frontiers = reads.map((read) => read.frontier).filter((frontier): frontier is string => frontier !== undefined);
  const certainUpTo = frontiers.length === 0 ? undefined : frontiers.reduce((a, b) => (a < b ? a : b));
  // Each ticket's position built once, not twice per comparison: a page of the cross-firm list merges up to 800.
  const inOrder = reads
    .flatMap((read) => read.tickets.map((ticket) => ({ ticket, position: ticketListPosition(ticket) })))
    .filter(({ position }) => certainUpTo === undefined || position <= certainUpTo)
    .sort((a, b) => (a.position < b.position ? -1 : 1))
    .map(({ ticket }) => ticket);
  return { inOrder, certainUpTo };
};

export const listWorkTickets = async (filter: WorkListFilter, page: PageRequest): Promise<Page<Ticket>> => {
  const source = sourceOf(filter);
  const scope = scopeOf(filter);
  let after = (await decodeCursor(page.cursor, scope))?.after;
  const items: Ticket[] = [];
  for (let round = 1; round <= fillRounds; round += 1) {
    const { inOrder, certainUpTo } = await mergeRound(source, filter, after, page.limit);
    const taken = inOrder.slice(0, page.limit - items.length);
    items.push(...taken);
    const more = taken.length < inOrder.length || certainUpTo !== undefined;
    if (!more) return { items, nextCursor: null };
    after = taken.length < inOrder.length ? ticketListPosition(taken.at(-1)!) : certainUpTo;
    if (items.length === page.limit) break;
  }
  return { items, nextCursor: await encodeCursor({ list: scope.value, after }, scope) };
};
