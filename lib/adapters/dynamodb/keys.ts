import { createHash } from 'node:crypto';
// Item keys of the single table, in one place so every access pattern is readable at a glance.

export const householdKey = (firmId: string, householdId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: 'HOUSEHOLD',
});

/** An Idempotency-Key claim (scoped to its caller or link), and what the request that holds it saved. */
export const idempotencyKey = (scopedKey: string) => ({ pk: `IDEMPOTENCY#${scopedKey}`, sk: 'IDEMPOTENCY' });

/** byFirm index: every household of a firm, oldest first. */
export const firmHouseholdsPartition = (firmId: string) => `FIRM#${firmId}#HOUSEHOLDS`;

/** byStatus index: a firm's households with one status. */
export const householdsByStatusPartition = (firmId: string, status: string) => `FIRM#${firmId}#HOUSEHOLDS#${status}`;

export const invitationKey = (firmId: string, householdId: string, invitationId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `INV#${invitationId}`,
});

export const householdEventPrefix = 'EVENT#';

/** One event of a household's audit trail (its own, its invitations' and its tickets'), oldest first. */
export const householdEventKey = (firmId: string, householdId: string, at: string, eventId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `${householdEventPrefix}${at}#${eventId}`,
});

/** At most one live invitation per email in a household: this item is the lock. */
export const liveInvitationLockKey = (firmId: string, householdId: string, email: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `LIVE#${email.toLowerCase()}`,
});

/** The link's only stored form: the SHA-256 of the token, pointing at its invitation. */
export const tokenKey = (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' });

/** A ticket request waiting for the ops function to turn it into a ticket and email ops about it. */
export const ticketRequestKey = (firmId: string, householdId: string, ticketId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `OUTBOX#TICKET#${ticketId}`,
});

/**
 * A ticket belongs to the platform's ops desk, not to one firm's partition: its key is its id alone, so ops open any
 * firm's ticket by id. Ticket ids are UUIDv7s the service makes; the firm is an attribute of the ticket.
 */
export const ticketKey = (ticketId: string) => ({ pk: `TICKET#${ticketId}`, sk: 'TICKET' });

/**
 * The ops work list spreads each status over this many partitions of the byStatus index, so 100,000 open tickets
 * are about 6,250 per partition and no partition takes every new ticket's write. Changing it re-keys every ticket.
 */
export const ticketShards = 16;

/** Which byStatus partition a ticket's entries go to: a hash of its id, spread evenly and fixed for its life. */
export const ticketShard = (ticketId: string): number => createHash('sha256').update(ticketId).digest().readUInt32BE(0) % ticketShards;

/** byStatus index: every firm's tickets with one status, in one of `ticketShards` partitions, oldest first in each. */
export const ticketsByStatusShard = (status: string, shard: number) => `TICKETS#${status}#${shard}`;

/** byFirm index: one firm's tickets with one status, oldest first (the work list filtered to a firm). */
export const firmTicketsByStatus = (firmId: string, status: string) => `FIRM#${firmId}#TICKETS#${status}`;

/** outbox index: one partition, sorted by due time, read by the sweeper. */
export const outboxPartition = 'OUTBOX';
/** outbox index: entries the sweeper set aside after too many tries, by when; listed for ops, never swept. */
export const stuckOutboxPartition = 'OUTBOX#STUCK';
export const outboxSortKey = (dueAt: string, ...ids: string[]) => [dueAt, ...ids].join('#');
/**
 * outbox index: the expiry schedule, every current link by its invitation's expiry (`${expiresAt}#${invitationId}`).
 * A link exists exactly while its invitation is live (and after acceptance, for the "done" page), so ending or
 * re-issuing it takes the invitation out of the schedule in the same transaction.
 */
export const expiringPartition = 'EXPIRING';
/**
 * outbox index: lifecycle events not yet published to the event bus, by `${at}#${eventId}`. The audit event item is
 * its own outbox entry: filed here when it is put, taken out once the bus has it.
 */
export const eventsPartition = 'EVENTS';

/** An email owed to an invitation's advisor about one event (domain advisor-notices.ts), in its household's partition. */
export const advisorNoticeKey = (firmId: string, householdId: string, invitationId: string, event: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `NOTICE#${invitationId}#${event}`,
});
/** outbox index: the advisor notices owed, by when each is due (`${dueAt}#${invitationId}#${event}`), for the sweeper. */
export const advisorNoticesPartition = 'NOTICES';

/** A client's access to one household's portal, under the hash of their email: one Query lists what they may sign in to. */
export const portalAccessKey = (clientKey: string, firmId: string, householdId: string) => ({
  pk: `CLIENT#${clientKey}`,
  sk: `ACCESS#${firmId}#${householdId}`,
});

/** A portal sign-in link's only stored form: the SHA-256 of its token. */
export const signInLinkKey = (tokenHash: string) => ({ pk: `PORTAL_LINK#${tokenHash}`, sk: 'LINK' });

export const documentRequestPrefix = 'DOCREQ#';

/** One item of a household's document checklist, in the household's partition, oldest first (its id is a UUIDv7). */
export const documentRequestKey = (firmId: string, householdId: string, requestId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: `${documentRequestPrefix}${requestId}`,
});

/** The household's one "every required document is received" email: owed, then sent. */
export const documentsCompleteNoticeKey = (firmId: string, householdId: string) => ({
  pk: `FIRM#${firmId}#HH#${householdId}`,
  sk: 'DOCUMENTS_COMPLETE_NOTICE',
});
