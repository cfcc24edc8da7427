import type { Ticket } from '../../domain/ticket.ts';
import type { TicketChange, TicketCondition } from '../../domain/ticket-change.ts';
import { expression, type Expression } from './expression.ts';
import { firmTicketsByStatus, ticketKey, ticketRequestKey, ticketShard, ticketsByStatusShard } from './keys.ts';
import { table, type TransactItem } from './transact.ts';

// How tickets are laid out (the item, keyed by its id alone, plus its two work-list indexes: one firm's tickets by
// status, and every firm's by status over sharded partitions), and how a decided ticket change becomes items: every
// value and condition was chosen by the decider; here they become expressions.

/** The partitions a ticket with `status` is listed in: its firm's, and its shard of the cross-firm list. */
export const ticketStatusPartitions = (ticket: Pick<Ticket, 'firmId' | 'ticketId'>, status: string) => ({
  gsi1pk: firmTicketsByStatus(ticket.firmId, status),
  gsi2pk: ticketsByStatusShard(status, ticketShard(ticket.ticketId)),
});

/** Both lists sort by creation, then id: oldest first, and no two tickets share a place. */
export const ticketListPosition = (ticket: Pick<Ticket, 'createdAt' | 'ticketId'>) => `${ticket.createdAt}#${ticket.ticketId}`;

export const ticketIndexKeys = (ticket: Pick<Ticket, 'firmId' | 'status' | 'createdAt' | 'ticketId'>) => ({
  ...ticketStatusPartitions(ticket, ticket.status),
  gsi1sk: ticketListPosition(ticket),
  gsi2sk: ticketListPosition(ticket),
});

export const ticketItem = (ticket: Ticket) => ({
  ...ticketKey(ticket.ticketId),
  entity: 'ticket',
  ...ticket,
  ...ticketIndexKeys(ticket),
});

export const fromTicketItem = (item: Record<string, unknown>): Ticket => {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _a, gsi1sk: _b, gsi2pk: _c, gsi2sk: _d, ...ticket } = item;
  return ticket as unknown as Ticket;
};

const conditionOf = (when: TicketCondition, e: Expression): string => {
  const parts = ['attribute_exists(pk)'];
  if (when.status !== undefined) parts.push(`${e.name('status')} = ${e.value(when.status)}`);
  if (when.unnotified) parts.push(`attribute_not_exists(${e.name('notifiedAt')})`);
  if (when.lease === 'free') parts.push(`attribute_not_exists(${e.name('notifyLeaseUntil')})`);
  else if (when.lease !== undefined) parts.push(`${e.name('notifyLeaseUntil')} = ${e.value(when.lease.heldUntil)}`);
  if (when.assignee === null) parts.push(`attribute_not_exists(${e.name('assignee')})`);
  else if (when.assignee !== undefined) parts.push(`${e.name('assignee')} = ${e.value(when.assignee)}`);
  return parts.join(' AND ');
};

/** History grows only by appending, so two changes to one ticket never drop each other's entry. */
const appendHistory = (e: Expression, entries: unknown[], ifNone: unknown[] = []) =>
  `${e.name('history')} = list_append(if_not_exists(${e.name('history')}, ${e.value(ifNone)}), ${e.value(entries)})`;

const ticketUpdate = (change: TicketChange, write: Extract<TicketChange['write'], { set: unknown }>): TransactItem => {
  const { ticketId } = change.key;
  const e = expression();
  const sets = Object.entries(write.set)
    .filter(([, value]) => value !== undefined)
    .map(([field, value]) => `${e.name(field)} = ${e.value(value)}`);
  // A new status moves the ticket to that status's lists.
  if (write.set.status !== undefined) {
    for (const [name, partition] of Object.entries(ticketStatusPartitions(change.key, write.set.status))) sets.push(`${e.name(name)} = ${e.value(partition)}`);
  }
  if (write.record) sets.push(appendHistory(e, [write.record]));
  const removes = (write.remove ?? []).map(e.name);
  const update = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim();
  return {
    Update: {
      TableName: table(),
      Key: ticketKey(ticketId),
      UpdateExpression: update,
      ConditionExpression: conditionOf(write.when ?? {}, e),
      ExpressionAttributeNames: e.names,
      ...(Object.keys(e.values).length > 0 ? { ExpressionAttributeValues: e.values } : {}),
    },
  };
};

/**
 * Writes a cancelled ticket whether or not the ops function has created it yet, so an invitation's end that overtakes
 * its request still leaves a cancelled ticket; never overwrites a decided one. The last entry of its history is the
 * cancellation's own: it joins the history stored, or the whole history is written when none is.
 */
export const ticketUpsert = (ticket: Ticket): TransactItem => {
  const { ticketId: _id, firmId: _firm, createdAt, history = [], ...fields } = ticket;
  const indexes = ticketIndexKeys(ticket);
  const e = expression();
  const sets = [
    `createdAt = if_not_exists(createdAt, ${e.value(createdAt)})`,
    `gsi1sk = if_not_exists(gsi1sk, ${e.value(indexes.gsi1sk)})`,
    `gsi2sk = if_not_exists(gsi2sk, ${e.value(indexes.gsi2sk)})`,
  ];
  const plain = { ...fields, firmId: ticket.firmId, ticketId: ticket.ticketId, gsi1pk: indexes.gsi1pk, gsi2pk: indexes.gsi2pk };
  for (const [field, value] of Object.entries(plain)) {
    if (value !== undefined) sets.push(`${e.name(field)} = ${e.value(value)}`);
  }
  if (history.length > 0) sets.push(appendHistory(e, history.slice(-1), history.slice(0, -1)));
  return {
    Update: {
      TableName: table(),
      Key: ticketKey(ticket.ticketId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `attribute_not_exists(pk) OR ${e.name('status')} = ${e.value('open')}`,
      ExpressionAttributeNames: e.names,
      ExpressionAttributeValues: e.values,
    },
  };
};

/** The ticket's part of a change: created, filed or updated. */
export const ticketWrite = (change: TicketChange): TransactItem | undefined => {
  const { write } = change;
  if (write === undefined) return undefined;
  if ('create' in write) {
    return { Put: { TableName: table(), Item: ticketItem(write.create), ConditionExpression: 'attribute_not_exists(pk)' } };
  }
  if ('file' in write) return ticketUpsert(write.file);
  return ticketUpdate(change, write);
};

/** The ticket request's outbox entry, once nothing is owed for it. */
export const ticketRequestClear = (change: TicketChange): TransactItem | undefined =>
  change.clearRequest
    ? { Delete: { TableName: table(), Key: ticketRequestKey(change.key.firmId, change.key.householdId, change.key.ticketId) } }
    : undefined;
