// The ticket store port in memory, for use-case and property tests without services. It shares the ticket table and
// the ticket-request outbox with the invitation store in memory (an invitation that ends cancels its ticket there) and
// applies a change as the DynamoDB adapter does: all or nothing, the ticket's condition first, then the invitation's.
// Its work list filters and orders as the adapter's (ticket-work-list.ts) does, in one pass over every ticket.
import { AppError } from '../../../lib/domain/errors.ts';
import type { Page, PageRequest, TicketStore, WorkListFilter } from '../../../lib/domain/ports.ts';
import type { Ticket } from '../../../lib/domain/ticket.ts';
import type { TicketChange, TicketCondition, TicketOutcome } from '../../../lib/domain/ticket-change.ts';
import { filedOver, type MemoryInvitations } from './invitations.ts';

const copy = <T,>(value: T): T => structuredClone(value);

const holds = (ticket: Ticket, when: TicketCondition): boolean =>
  (when.status === undefined || ticket.status === when.status) &&
  (!when.unnotified || ticket.notifiedAt === undefined) &&
  (when.lease === undefined ||
    (when.lease === 'free' ? ticket.notifyLeaseUntil === undefined : ticket.notifyLeaseUntil === when.lease.heldUntil)) &&
  (when.assignee === undefined || ticket.assignee === (when.assignee ?? undefined));

/** Whether the ticket's part of the change may be written over what is stored. */
const ticketPartHolds = (stored: Ticket | undefined, write: TicketChange['write']): boolean => {
  if (write === undefined) return true;
  if ('create' in write) return stored === undefined;
  if ('file' in write) return stored === undefined || stored.status === 'open';
  return stored !== undefined && holds(stored, write.when ?? {});
};

const written = (stored: Ticket | undefined, write: NonNullable<TicketChange['write']>): Ticket => {
  if ('create' in write) return copy(write.create);
  if ('file' in write) return filedOver(stored, write.file);
  const next: Ticket = { ...stored!, ...copy(write.set) };
  for (const field of write.remove ?? []) delete next[field];
  if (write.record) next.history = [...(stored!.history ?? []), copy(write.record)];
  return next;
};

/** Where a ticket sits in the work list, as the adapter's index sort key: oldest first, ties broken by id. */
const positionOf = (ticket: Ticket) => `${ticket.createdAt}#${ticket.ticketId}`;

const listed = (ticket: Ticket, filter: WorkListFilter) =>
  ticket.status === filter.status &&
  (filter.firmId === undefined || ticket.firmId === filter.firmId) &&
  (filter.reason === undefined || ticket.reason === filter.reason) &&
  (filter.assignee === undefined || ticket.assignee === (filter.assignee ?? undefined));

/** A cursor names its list, filters included, and the position to go on after; one from another list is a 400. */
const listName = (filter: WorkListFilter) =>
  [filter.status, filter.firmId ?? '*', filter.reason ?? '*', filter.assignee === null ? 'none' : (filter.assignee ?? '*')].join('|');
const encode = (list: string, after: string) => Buffer.from(JSON.stringify({ list, after })).toString('base64url');
const decode = (cursor: string | undefined, list: string): string | undefined => {
  if (cursor === undefined) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const { list: from, after } = (decoded ?? {}) as { list?: unknown; after?: unknown };
  if (from !== list || typeof after !== 'string') throw new AppError('validation_error', 'Invalid cursor', [{ path: 'cursor', message: 'is not a cursor from this list' }]);
  return after;
};

const workList = (tickets: Iterable<Ticket>, filter: WorkListFilter, page: PageRequest): Page<Ticket> => {
  const list = listName(filter);
  const after = decode(page.cursor, list);
  const matching = [...tickets]
    .filter((ticket) => listed(ticket, filter) && (after === undefined || positionOf(ticket) > after))
    .sort((a, b) => (positionOf(a) < positionOf(b) ? -1 : 1));
  const items = matching.slice(0, page.limit).map(copy);
  const last = items.at(-1);
  return { items, nextCursor: matching.length > page.limit && last ? encode(list, positionOf(last)) : null };
};

export interface MemoryTickets {
  store: TicketStore;
  /** Every change applied, in order, with what it came to. */
  applied: { change: TicketChange; outcome: TicketOutcome }[];
}

export const memoryTickets = (invitations: MemoryInvitations): MemoryTickets => {
  const { tickets, ticketRequests } = invitations;
  const applied: MemoryTickets['applied'] = [];

  const applyNow = async (change: TicketChange): Promise<TicketOutcome> => {
    const stored = tickets.get(change.key.ticketId);
    if (!ticketPartHolds(stored, change.write)) return { ok: false, failed: ['ticket'] };
    if (change.invitation) {
      // The invitation store does its work before its promise settles, so nothing runs between its check and write.
      const outcome = await invitations.store.apply(change.invitation);
      if (!outcome.ok) return { ok: false, failed: [outcome.failed] };
    }
    if (change.write) tickets.set(change.key.ticketId, written(stored, change.write));
    if (change.clearRequest) ticketRequests.delete(change.key.ticketId);
    invitations.events.push(...copy(change.events ?? []));
    return { ok: true };
  };

  // One change at a time, as one transaction: a change awaiting its invitation's write is never overtaken by another.
  let queue: Promise<unknown> = Promise.resolve();
  const store: TicketStore = {
    async get(ticketId) {
      const ticket = tickets.get(ticketId);
      return ticket && copy(ticket);
    },
    async list(filter, page) {
      return workList(tickets.values(), filter, page);
    },
    async oldestOpen() {
      return [...tickets.values()]
        .filter((ticket) => ticket.status === 'open')
        .map((ticket) => ticket.createdAt)
        .sort()[0];
    },
    apply(change) {
      const run = queue.then(() => applyNow(change));
      queue = run.catch(() => undefined);
      return run.then((outcome) => {
        applied.push({ change, outcome });
        return outcome;
      });
    },
  };
  return { store, applied };
};
