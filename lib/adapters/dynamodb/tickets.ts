import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TicketStore } from '../../domain/ports.ts';
import type { TicketChange, TicketOutcome, TicketPart } from '../../domain/ticket-change.ts';
import { eventItems } from './audit-events.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { reissueItems } from './invitation-changes.ts';
import { ticketKey } from './keys.ts';
import { fromTicketItem, ticketRequestClear, ticketWrite } from './ticket-items.ts';
import { oldestOpenTicket } from './ticket-sla.ts';
import { listWorkTickets } from './ticket-work-list.ts';
import { table, transact, type NamedItems, type TransactItem } from './transact.ts';

/** The ticket's own items: the ticket, its request's outbox entry, its audit events. */
const ticketItems = (change: TicketChange): NamedItems<TicketPart> => ({
  ticket: ticketWrite(change),
  ticketRequest: ticketRequestClear(change),
  ...eventItems(change.events),
});

/** The change's items by name: the ticket's and, for a decision, the invitation's parts. */
export const ticketChangeItems = (change: TicketChange): NamedItems<TicketPart> => {
  const invitation = change.invitation ? reissueItems(change.invitation).items : {};
  if (invitation.ticket || invitation.ticketRequest || invitation.event0) throw new Error('a decision writes the ticket, its request and its events itself');
  return { ...invitation, ...ticketItems(change) };
};

/** A change of one item is one conditional write: cheaper than a transaction, and as atomic (an audited one is not alone). */
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

const getTicket: TicketStore['get'] = async (ticketId) => {
  const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: ticketKey(ticketId) })));
  return result.Item ? fromTicketItem(result.Item) : undefined;
};

const writeItems = async (items: NamedItems<TicketPart>): Promise<TicketOutcome> => {
  const present = (Object.entries(items) as [TicketPart, TransactItem | undefined][]).filter(
    (entry): entry is [TicketPart, TransactItem] => entry[1] !== undefined,
  );
  if (present.length === 0) return { ok: true };
  if (present.length === 1) return writeAlone(...present[0]!);
  const outcome = await transact(items);
  return outcome.ok ? outcome : { ok: false, failed: [...outcome.failed] };
};

// Claims, releases and new tickets change the ticket alone: their functions bundle no invitation-writing code.
const applyTicketChange: TicketStore['apply'] = async (change) => {
  if (change.invitation) throw new Error('a decision changes the invitation too: grant ticketDecisions (lib/wiring.ts)');
  return writeItems(ticketItems(change));
};

const applyDecision: TicketStore['apply'] = (change) => writeItems(ticketChangeItems(change));

// The store in parts, so a function granted only reads (lib/wiring.ts) bundles none of the code that writes changes.
export const dynamoTicketLookup: Pick<TicketStore, 'get'> = { get: getTicket };
/** Claims, releases and new tickets, each with everything it carries; a decision is refused. */
export const dynamoTicketChanges: Pick<TicketStore, 'apply'> = { apply: applyTicketChange };
/** Any change, a decision (which changes the invitation behind the ticket in the same transaction) included. */
export const dynamoTicketDecisions: Pick<TicketStore, 'apply'> = { apply: applyDecision };
export const dynamoTicketWorkList: Pick<TicketStore, 'list'> = { list: listWorkTickets };
export const dynamoTicketSla: Pick<TicketStore, 'oldestOpen'> = { oldestOpen: oldestOpenTicket };

/** The whole store, for the tests that drive it directly. */
export const dynamoTickets: TicketStore = { get: getTicket, apply: applyDecision, list: listWorkTickets, oldestOpen: oldestOpenTicket };
