// The invitation store port in memory, for use-case and property tests without services. It applies a change with
// the same semantics as the DynamoDB adapter: all or nothing, the invitation's condition first, a lock taken only if
// free, expired or already this invitation's, and the optional parts (freeing a lock held by another invitation,
// cancelling a decided ticket) left out rather than failing the change.
import type { AdvisorNotice } from '../../../lib/domain/advisor-notices.ts';
import type { AuditEvent } from '../../../lib/domain/audit.ts';
import type { Invitation } from '../../../lib/domain/invitation.ts';
import { emailTaken, type ChangeOutcome, type InvitationChange, type InvitationCondition, type InvitationKey } from '../../../lib/domain/invitation-change.ts';
import type { InvitationStore, RequestMarker } from '../../../lib/domain/ports.ts';
import type { Ticket } from '../../../lib/domain/ticket.ts';
import type { TicketRequest } from '../../../lib/schemas/invitations.ts';

const idOf = (key: InvitationKey) => `${key.firmId}#${key.householdId}#${key.invitationId}`;
const lockOf = (key: InvitationKey, email: string) => `${key.firmId}#${key.householdId}#${email.toLowerCase()}`;
const copy = <T,>(value: T): T => structuredClone(value);

export interface MemoryInvitations {
  store: InvitationStore;
  invitations: Map<string, Invitation>;
  /** Link hash → the invitation it points at. */
  links: Map<string, InvitationKey>;
  /** Household and email → the invitation holding the one-live-invitation lock, until when. */
  locks: Map<string, { invitationId: string; until: string }>;
  /** Invitation → its email's outbox slot, while the email is owed. */
  emailsOwed: Map<string, string>;
  /** Ticket id → the request owed to the ops queue. */
  ticketRequests: Map<string, TicketRequest>;
  /** Tickets written by invitation changes (cancelled ones), by id; `open` ones may be put by a test. */
  tickets: Map<string, Ticket>;
  /** Advisor notices owed, by invitation and event (a later one of the same event replaces it), as the outbox files them. */
  advisorNotices: Map<string, AdvisorNotice & { key: InvitationKey }>;
  /** The audit trail of every household, in the order written (the ticket store in memory adds its events here too). */
  events: AuditEvent[];
}

/**
 * A ticket filed without reading what is stored, as the adapter's upsert writes it: its fields over the stored ones
 * (an assignee kept), the first createdAt kept, and only the filing's own last event added to a stored history.
 */
export const filedOver = (stored: Ticket | undefined, filed: Ticket): Ticket => {
  const history = filed.history ?? [];
  const kept = stored?.history ?? history.slice(0, -1);
  return { ...stored, ...copy(filed), createdAt: stored?.createdAt ?? filed.createdAt, history: [...kept, ...history.slice(-1)] };
};

export const holds = (invitation: Invitation | undefined, when: InvitationCondition, emailSlot: string | undefined): boolean => {
  if (!invitation || invitation.tokenHash !== when.tokenHash) return false;
  const attempts = invitation.verification.wrongAttempts;
  const { below, atLeast, atMost } = when.wrongAttempts ?? {};
  return (
    (when.state === undefined || invitation.state === when.state) &&
    (when.delivery === undefined || invitation.delivery === when.delivery) &&
    (when.verificationStatus === undefined || invitation.verification.status === when.verificationStatus) &&
    // ISO strings of one format compare as the table compares them: as strings.
    (when.unexpiredAt === undefined || invitation.expiresAt > when.unexpiredAt) &&
    (when.expiredBy === undefined || invitation.expiresAt <= when.expiredBy) &&
    (below === undefined || (attempts ?? 0) < below) &&
    (atLeast === undefined || attempts >= atLeast) &&
    (atMost === undefined || attempts <= atMost) &&
    (when.emailOutboxSlot === undefined || emailSlot === when.emailOutboxSlot) &&
    (when.deliveryNoticeLease === undefined ||
      (invitation.deliveryNotice?.leaseUntil === when.deliveryNoticeLease && invitation.deliveryNotice.sentAt === undefined))
  );
};

export const memoryInvitations = (): MemoryInvitations => {
  const invitations = new Map<string, Invitation>();
  const links = new Map<string, InvitationKey>();
  const locks = new Map<string, { invitationId: string; until: string }>();
  const emailsOwed = new Map<string, string>();
  const ticketRequests = new Map<string, TicketRequest>();
  const tickets = new Map<string, Ticket>();
  const advisorNotices = new Map<string, AdvisorNotice & { key: InvitationKey }>();
  const events: AuditEvent[] = [];
  const saved = new Map<RequestMarker, string>();

  const apply = (change: InvitationChange): ChangeOutcome => {
    const id = idOf(change.key);
    const stored = invitations.get(id);
    const { write, link, lock, at } = change;
    const invitationFails = 'create' in write ? stored !== undefined : !holds(stored, write.when, emailsOwed.get(id));
    if (invitationFails) return { ok: false, failed: 'invitation' };
    if (link?.issue && links.has(link.issue.tokenHash)) throw new Error('link hash taken');
    const lockKey = lock && lockOf(change.key, 'take' in lock ? lock.take.email : lock.free.email);
    const holder = lockKey === undefined ? undefined : locks.get(lockKey);
    if (lock && 'take' in lock && holder && holder.invitationId !== change.key.invitationId && holder.until > at) {
      return { ok: false, failed: 'lock' };
    }

    let next: Invitation;
    if ('create' in write) {
      next = copy(write.create);
    } else {
      const { verification, ...fields } = write.set;
      next = { ...stored!, ...copy(fields), verification: { ...stored!.verification, ...copy(verification) } };
      if (write.countAttempt) next.verification.wrongAttempts = (stored!.verification.wrongAttempts ?? 0) + 1;
    }
    invitations.set(id, next);
    if (change.emailOwed === true) emailsOwed.set(id, `${at}#EMAIL#${change.key.invitationId}`);
    if (change.emailOwed === false) emailsOwed.delete(id);
    if (link?.retire !== undefined) links.delete(link.retire);
    if (link?.issue) links.set(link.issue.tokenHash, { ...change.key });
    if (lock && lockKey !== undefined) {
      if ('take' in lock) locks.set(lockKey, { invitationId: change.key.invitationId, until: lock.take.until });
      else if (holder?.invitationId === change.key.invitationId) locks.delete(lockKey);
    }
    if (change.ticketRequest && 'owe' in change.ticketRequest) ticketRequests.set(change.ticketRequest.owe.ticketId, copy(change.ticketRequest.owe));
    if (change.ticketRequest && 'clear' in change.ticketRequest) ticketRequests.delete(change.ticketRequest.clear);
    if (change.advisorNotice) advisorNotices.set(`${id}#${change.advisorNotice.event}`, { ...copy(change.advisorNotice), key: { ...change.key } });
    const cancelled = change.cancelTicket;
    if (cancelled && (tickets.get(cancelled.ticketId)?.status ?? 'open') === 'open') tickets.set(cancelled.ticketId, filedOver(tickets.get(cancelled.ticketId), cancelled));
    events.push(...copy(change.events ?? []));
    return 'countAttempt' in write && write.countAttempt ? { ok: true, wrongAttempts: next.verification.wrongAttempts } : { ok: true };
  };

  const get = (key: InvitationKey) => {
    const invitation = invitations.get(idOf(key));
    return invitation && copy(invitation);
  };

  const store: InvitationStore = {
    async create(change, marker) {
      if (!('create' in change.write)) throw new Error('create needs a new invitation');
      const earlier = marker && saved.get(marker);
      if (earlier !== undefined) return copy(invitations.get(earlier)!);
      const outcome = apply(change);
      if (!outcome.ok && outcome.failed === 'lock') throw emailTaken();
      if (marker) saved.set(marker, idOf(change.key));
      return copy(change.write.create);
    },
    async get(firmId, householdId, invitationId) {
      return get({ firmId, householdId, invitationId });
    },
    async list(firmId, householdId) {
      const items = [...invitations.values()].filter((i) => i.firmId === firmId && i.householdId === householdId).map(copy);
      return { items, nextCursor: null };
    },
    async findByToken(tokenHash) {
      const key = links.get(tokenHash);
      const invitation = key && get(key);
      return invitation?.tokenHash === tokenHash ? invitation : undefined;
    },
    async apply(change) {
      return apply(change);
    },
  };
  return { store, invitations, links, locks, emailsOwed, ticketRequests, tickets, advisorNotices, events };
};
