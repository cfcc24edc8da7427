import type { Ticket } from '../../domain/ticket.ts';
import { firmTicketsPartition, ticketKey, ticketsByStatusPartition } from './keys.ts';
import { table, type TransactItem } from './transact.ts';

// How tickets are laid out: the item plus its two list indexes (all tickets, tickets by status).

export const ticketIndexKeys = (ticket: Pick<Ticket, 'firmId' | 'status' | 'createdAt' | 'ticketId'>) => ({
  gsi1pk: firmTicketsPartition(ticket.firmId),
  gsi1sk: `${ticket.createdAt}#${ticket.ticketId}`,
  gsi2pk: ticketsByStatusPartition(ticket.firmId, ticket.status),
  gsi2sk: `${ticket.createdAt}#${ticket.ticketId}`,
});

export const ticketItem = (ticket: Ticket) => ({
  ...ticketKey(ticket.firmId, ticket.ticketId),
  entity: 'ticket',
  ...ticket,
  ...ticketIndexKeys(ticket),
});

export const fromTicketItem = (item: Record<string, unknown>): Ticket => {
  const {
    pk: _pk, sk: _sk, entity: _entity, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d,
    notifiedAt: _n, notifyLeaseUntil: _l, ...ticket
  } = item;
  return ticket as unknown as Ticket;
};

/**
 * Writes a decided ticket whether or not the ops function has created it yet, so a revoke that
 * overtakes its queue message still leaves a cancelled ticket; never overwrites a decided one.
 */
export const ticketUpsert = (ticket: Ticket): TransactItem => {
  const { ticketId: _id, firmId: _firm, createdAt, ...fields } = ticket;
  const indexes = ticketIndexKeys(ticket);
  const values: Record<string, unknown> = { ':open': 'open', ':createdAt': createdAt, ':sortKey': indexes.gsi1sk };
  const names: Record<string, string> = { '#status': 'status' };
  const sets = ['createdAt = if_not_exists(createdAt, :createdAt)', 'gsi1sk = if_not_exists(gsi1sk, :sortKey)', 'gsi2sk = if_not_exists(gsi2sk, :sortKey)'];
  const plain = { ...fields, firmId: ticket.firmId, ticketId: ticket.ticketId, gsi1pk: indexes.gsi1pk, gsi2pk: indexes.gsi2pk };
  Object.entries(plain).forEach(([name, value], index) => {
    if (value === undefined) return;
    names[`#f${index}`] = name;
    values[`:f${index}`] = value;
    sets.push(`#f${index} = :f${index}`);
  });
  return {
    Update: {
      TableName: table(),
      Key: ticketKey(ticket.firmId, ticket.ticketId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :open',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};
