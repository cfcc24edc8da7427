// The ticket store port in memory, for use-case and property tests without services. It shares the ticket table and
// the ticket-request outbox with the invitation store in memory (an invitation that ends cancels its ticket there) and
// applies a change as the DynamoDB adapter does: all or nothing, the ticket's condition first, then the invitation's.
import type { Page, TicketStore } from '../../../lib/domain/ports.ts';
import type { Ticket } from '../../../lib/domain/ticket.ts';
import type { TicketChange, TicketCondition, TicketOutcome } from '../../../lib/domain/ticket-change.ts';
import type { MemoryInvitations } from './invitations.ts';

const copy = <T,>(value: T): T => structuredClone(value);

const holds = (ticket: Ticket, when: TicketCondition): boolean =>
  (when.status === undefined || ticket.status === when.status) &&
  (!when.unnotified || ticket.notifiedAt === undefined) &&
  (when.lease === undefined ||
    (when.lease === 'free' ? ticket.notifyLeaseUntil === undefined : ticket.notifyLeaseUntil === when.lease.heldUntil));

/** Whether the ticket's part of the change may be written over what is stored. */
const ticketPartHolds = (stored: Ticket | undefined, write: TicketChange['write']): boolean => {
  if (write === undefined) return true;
  if ('create' in write) return stored === undefined;
  if ('file' in write) return stored === undefined || stored.status === 'open';
  return stored !== undefined && holds(stored, write.when ?? {});
};

const written = (stored: Ticket | undefined, write: NonNullable<TicketChange['write']>): Ticket => {
  if ('create' in write) return copy(write.create);
  if ('file' in write) {
    // As the adapter's upsert: the fields as given, the first createdAt kept, the filing's own event added to the history.
    const history = write.file.history ?? [];
    const kept = stored?.history ?? history.slice(0, -1);
    return { ...stored, ...copy(write.file), createdAt: stored?.createdAt ?? write.file.createdAt, history: [...kept, ...history.slice(-1)] };
  }
  const next: Ticket = { ...stored!, ...copy(write.set) };
  for (const field of write.remove ?? []) delete next[field];
  if (write.record) next.history = [...(stored!.history ?? []), copy(write.record)];
  return next;
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
    return { ok: true };
  };

  // One change at a time, as one transaction: a change awaiting its invitation's write is never overtaken by another.
  let queue: Promise<unknown> = Promise.resolve();
  const store: TicketStore = {
    async get(firmId, ticketId) {
      const ticket = tickets.get(ticketId);
      return ticket?.firmId === firmId ? copy(ticket) : undefined;
    },
    async list(firmId, status): Promise<Page<Ticket>> {
      const items = [...tickets.values()]
        .filter((ticket) => ticket.firmId === firmId && (status === undefined || ticket.status === status))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(copy);
      return { items, nextCursor: null };
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
