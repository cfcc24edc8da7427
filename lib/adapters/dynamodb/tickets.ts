import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketStore } from '../../domain/ports.ts';
import type { TicketChange, TicketOutcome, TicketPart } from '../../domain/ticket-change.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { changeItems } from './invitation-changes.ts';
import { firmTicketsPartition, ticketKey, ticketsByStatusPartition } from './keys.ts';
import { fromTicketItem, ticketRequestClear, ticketWrite } from './ticket-items.ts';
import { table, transact, type NamedItems, type TransactItem } from './transact.ts';

/** The change's items by name: the ticket, its request's outbox entry and, for a decision, the invitation's parts. */
export const ticketChangeItems = (change: TicketChange): NamedItems<TicketPart> => {
  const invitation = change.invitation ? changeItems(change.invitation).items : {};
  if (invitation.ticket || invitation.ticketRequest) throw new Error('a decision writes the ticket and its request itself');
  return { ...invitation, ticket: ticketWrite(change), ticketRequest: ticketRequestClear(change) };
};

/** A change of one item is one conditional write: cheaper than a transaction, and as atomic. */
const writeAlone = async (name: TicketPart, item: TransactItem): Promise<TicketOutcome> => {
  try {
    if (item.Put) await tableCall(() => documents.send(new PutCommand(item.Put!)));
    else if (item.Update) await tableCall(() => documents.send(new UpdateCommand(item.Update!)));
    else if (item.Delete) await tableCall(() => documents.send(new DeleteCommand(item.Delete!)));
    return { ok: true };
  } catch (error) {
    if (isConditionFailure(error)) return { ok: false, failed: [name] };
    throw error;
  }
};

export const dynamoTickets: TicketStore = {
  async apply(change) {
    const items = ticketChangeItems(change);
    const present = (Object.entries(items) as [TicketPart, TransactItem | undefined][]).filter(
      (entry): entry is [TicketPart, TransactItem] => entry[1] !== undefined,
    );
    if (present.length === 0) return { ok: true };
    if (present.length === 1) return writeAlone(...present[0]!);
    const outcome = await transact(items);
    return outcome.ok ? outcome : { ok: false, failed: [...outcome.failed] };
  },

  async get(firmId, ticketId) {
    const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: ticketKey(firmId, ticketId) })));
    return result.Item ? fromTicketItem(result.Item) : undefined;
  },

  async list(firmId, status, page) {
    const [index, pkName, skName, partition] =
      status === undefined
        ? (['byFirm', 'gsi1pk', 'gsi1sk', firmTicketsPartition(firmId)] as const)
        : (['byStatus', 'gsi2pk', 'gsi2sk', ticketsByStatusPartition(firmId, status)] as const);
    const scope = { attribute: pkName, value: partition, keyNames: ['pk', 'sk', pkName, skName] };
    const start = await decodeCursor(page.cursor, scope);
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': pkName },
          ExpressionAttributeValues: { ':pk': partition },
          Limit: page.limit,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return { items: (result.Items ?? []).map(fromTicketItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
  },
};
