// What the use cases need from the outside world; adapters in lib/adapters implement these.
import type { AuditEvent } from './audit.ts';
import type { AccountLink, Household } from './household.ts';
import type { Invitation } from './invitation.ts';
import type { AdvisorNoticeEvent } from './advisor-notices.ts';
import type { ChangeOutcome, InvitationChange, InvitationKey } from './invitation-change.ts';
import type { Ticket } from './ticket.ts';
import type { TicketChange, TicketOutcome } from './ticket-change.ts';
import type { HouseholdStatus } from '../schemas/households.ts';
import type { LifecycleEventDetail } from '../schemas/events.ts';
import type { TicketReason, TicketRequest, TicketStatus } from '../schemas/invitations.ts';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

declare const requestMarkerBrand: unique symbol;

/**
 * Names the API request making a change (the HTTP layer's Idempotency-Key claim), opaque to the use cases, which
 * only hand it to the store: the store writes it with the change, so a retry of a request whose answer was lost
 * gets what that request saved instead of saving it again.
 */
export type RequestMarker = { readonly [requestMarkerBrand]: true };

export interface HouseholdStore {
  /**
   * Saves a new household with the events that record it; conflict if the id is taken (it never should be). With
   * the request's `marker`, a repeat of a request whose answer was lost gets the household that request saved.
   */
  create(household: Household, events: AuditEvent[], marker?: RequestMarker): Promise<Household>;
  /** The household; none once it is deleted (its tombstone is no household). */
  get(firmId: string, householdId: string): Promise<Household | undefined>;
  /** Whether the firm has or had this household: a deleted household's trail can still be read. */
  known(firmId: string, householdId: string): Promise<boolean>;
  list(firmId: string, filter: { status?: HouseholdStatus | undefined }, page: PageRequest): Promise<Page<Household>>;
  /**
   * Appends the account and makes the household a client, with the link's events, while its status is as read
   * (undefined when it is not: read it again); conflict if that number is already linked, under its hash or any of
   * `sameNumber`, or the household is full.
   */
  addAccount(link: AccountLink): Promise<Household | undefined>;
}

export interface AccountHasher {
  /** Keyed hash of a normalized account number, scoped to the firm, under the current key (its id stamped on it). */
  hash(firmId: string, normalizedNumber: string): Promise<string>;
  /** The number's hash under every key still accepted: the current one first, then the one being rotated out. */
  hashesToMatch(firmId: string, normalizedNumber: string): Promise<string[]>;
}

export interface AccountRestamper {
  /** Re-hashes one stored account under the current key once its number verified under the key being rotated out. */
  restamp(household: Household, accountId: string, fromHash: string, toHash: string): Promise<void>;
}

/** An advisor: a member of one firm, who only ever sees and changes that firm's data. */
export interface Caller {
  firmId: string;
  sub: string;
  email?: string | undefined;
  firmName?: string | undefined;
  groups: string[];
}

/**
 * A member of the platform's own ops team: in no firm (a firm claim on their token is ignored), they work every
 * firm's tickets. Someone in both groups is an advisor on advisor routes and an ops user on ops routes.
 */
export interface OpsCaller {
  sub: string;
  email?: string | undefined;
  groups: string[];
}

export interface InvitationStore {
  /**
   * Saves a new invitation as the send transition decided it (its link, its email's lock, the email and any ticket
   * request owed), in one transaction; conflict if another live invitation holds the email. With the request's
   * `marker`, a repeat of a request whose answer was lost gets the invitation that request saved, as stored.
   */
  create(change: InvitationChange, marker?: RequestMarker): Promise<Invitation>;
  get(firmId: string, householdId: string, invitationId: string): Promise<Invitation | undefined>;
  list(firmId: string, householdId: string, page: PageRequest): Promise<Page<Invitation>>;
  /** The invitation behind a link, if the link is current; the caller still checks expiry and state. */
  findByToken(tokenHash: string): Promise<Invitation | undefined>;
  /**
   * Writes one decided change as one transaction, only while the state it was decided on still holds; otherwise
   * nothing is written and the outcome names what moved on (the invitation, or the email's lock).
   */
  apply(change: InvitationChange): Promise<ChangeOutcome>;
}

/** A household's audit trail: written by the stores with each change (InvitationChange.events ...), only ever read here. */
export interface AuditTrail {
  /** Oldest first. */
  list(firmId: string, householdId: string, page: PageRequest): Promise<Page<AuditEvent>>;
}

/** Where lifecycle events go for integrations: EventBridge in AWS, an SNS topic locally (lib/adapters/event-bus.ts). */
export interface EventBus {
  /** Publishes them all, or throws: an event whose publishing is unknown is published again later (consumers dedupe). */
  publish(events: LifecycleEventDetail[]): Promise<void>;
}

/** The lifecycle events not yet published: each audit event of a lifecycle action, from its commit until the bus has it. */
export interface EventOutbox {
  /** Unpublished events that happened before `before`, oldest first. */
  unpublished(before: string, limit: number): Promise<AuditEvent[]>;
  /** Takes the event out of the outbox, unless another publisher did already. */
  published(event: AuditEvent): Promise<void>;
}

/** Which tickets the ops work list shows: one status, across every firm or one, narrowed by reason and assignee. */
export interface WorkListFilter {
  status: TicketStatus;
  firmId?: string | undefined;
  reason?: TicketReason | undefined;
  /** A sub: the tickets that person claimed; null: the unclaimed ones. */
  assignee?: string | null | undefined;
}

export interface TicketStore {
  /** Any firm's ticket, by its id alone. */
  get(ticketId: string): Promise<Ticket | undefined>;
  /** Oldest first; a page may hold fewer than `limit` items while `nextCursor` says more may follow. */
  list(filter: WorkListFilter, page: PageRequest): Promise<Page<Ticket>>;
  /** When the oldest ticket still open, across every firm, was raised; undefined when none is open. */
  oldestOpen(): Promise<string | undefined>;
  /**
   * Writes one decided change (the ticket, its request's outbox entry and, for a decision, the invitation) as one
   * transaction, only while the state it was decided on still holds; otherwise nothing is written and the outcome
   * names the parts that found the state moved on.
   */
  apply(change: TicketChange): Promise<TicketOutcome>;
}

export interface OutboxEntry {
  /** `household_purge`: a deleted household whose purge is not done (domain household-deletion.ts). */
  kind: 'ticket_request' | 'invitation_email' | 'household_purge';
  firmId: string;
  householdId: string;
  invitationId: string;
  ticketRequest?: TicketRequest | undefined;
  /** For an email entry: the link the unconfirmed email carried. */
  tokenHash?: string | undefined;
  dueAt: string;
  /** Tries the sweeper has made for this entry so far. */
  attempts: number;
  /** The item that holds the entry, known even when the entry is too malformed to name its invitation. */
  itemKey: { pk: string; sk: string };
  /** The index sort key as read, so a change only moves the entry that was read, never a newer one. */
  sortKey: string;
  /** When the work it stands for was first owed (for the oldest-entry metric). */
  since?: string | undefined;
  /** Why the sweeper set it aside (stuck entries only). */
  stuckReason?: string | undefined;
}

/** An invitation's current link in the expiry schedule, due once the invitation's expiry has passed. */
export interface ExpiringLink {
  firmId: string;
  householdId: string;
  invitationId: string;
  /** The link as scheduled; an invitation whose link is now another was re-issued, and this entry is gone with it. */
  tokenHash: string;
  expiresAt: string;
  /** The index sort key as read, so only this entry, never a newer one, is taken out of the schedule. */
  sortKey: string;
  /** When the entry is filed for: the link's one reminder (domain invitation-reminders.ts), or else its expiry. */
  dueAt: string;
}

/** An advisor notice the sweeper found due (domain advisor-notices.ts), as read. */
export interface DueNotice {
  firmId: string;
  householdId: string;
  invitationId: string;
  event: AdvisorNoticeEvent;
  tokenHash: string;
  /** Tries so far: each lease counts one. */
  attempts: number;
  /** The index sort key as read, so only this notice, never a newer one of the same event, is leased or cleared. */
  sortKey: string;
}

export interface Outbox {
  due(now: string, limit: number): Promise<OutboxEntry[]>;
  postpone(entry: OutboxEntry, until: string): Promise<void>;
  /** Counts a try and makes the entry due again at `dueAt`; nothing if it was confirmed or replaced meanwhile. */
  retryLater(entry: OutboxEntry, attempts: number, dueAt: string): Promise<void>;
  /** Takes an entry that keeps failing out of the sweeper's way and lists it as stuck, with why. */
  setAside(entry: OutboxEntry, attempts: number, reason: string, at: string): Promise<void>;
  /** Entries set aside, oldest first: what ops look at when the stuck alarm fires. */
  stuck(limit: number): Promise<OutboxEntry[]>;
  countStuck(): Promise<number>;
  /** Writes the change that marks an email SES never answered for send_failed (domain emailUnanswered), if still due. */
  markEmailUnanswered(change: InvitationChange): Promise<void>;
  /** Links whose invitation's expiry is before `now`, soonest first: the invitations the sweeper ends. */
  expiring(now: string, limit: number): Promise<ExpiringLink[]>;
  /** Takes a link out of the schedule, as read, once its invitation ended without retiring it (an acceptance). */
  unschedule(link: ExpiringLink): Promise<void>;
  /**
   * Files a link due for its reminder under its expiry instead, as read; with `remindedAt` it is marked reminded,
   * and only while its invitation is live on it. True when this call moved it: the one caller that may send.
   */
  fileUnderExpiry(link: ExpiringLink, remindedAt?: string): Promise<boolean>;
  /** Advisor notices due before `now`, soonest first. */
  notices(now: string, limit: number): Promise<DueNotice[]>;
  /** Holds a due notice until `until` and counts the try: the notice as held, or undefined when another run has it. */
  leaseNotice(notice: DueNotice, until: string): Promise<DueNotice | undefined>;
  /** Deletes a notice as held (sent, or no longer standing); a newer one of the same event filed meanwhile stays. */
  clearNotice(notice: DueNotice): Promise<void>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** The invitation an email to the client is about, so SES's bounce and complaint events for it name it. */
  about?: InvitationKey | undefined;
}

export interface Mailer {
  /** Throws AppError email_send_failed when SES refuses or can't be reached. */
  send(email: OutgoingEmail): Promise<void>;
}

export interface TicketQueue {
  send(requests: TicketRequest[]): Promise<void>;
}

export interface AttemptCounter {
  /** Counts one failed attempt by `subject` in the current window; returns the window's count so far. */
  hit(subject: string, windowSeconds: number, now: Date): Promise<number>;
}
