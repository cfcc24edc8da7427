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

export const ticketKey = (firmId: string, ticketId: string) => ({ pk: `FIRM#${firmId}#TICKET#${ticketId}`, sk: 'TICKET' });

/** byFirm index: all of a firm's tickets; byStatus index: those with one status. Both oldest first. */
export const firmTicketsPartition = (firmId: string) => `FIRM#${firmId}#TICKETS`;
export const ticketsByStatusPartition = (firmId: string, status: string) => `FIRM#${firmId}#TICKETS#${status}`;

/** outbox index: one partition, sorted by due time, read by the sweeper. */
export const outboxPartition = 'OUTBOX';
/** outbox index: entries the sweeper set aside after too many tries, by when; listed for ops, never swept. */
export const stuckOutboxPartition = 'OUTBOX#STUCK';
export const outboxSortKey = (dueAt: string, ...ids: string[]) => [dueAt, ...ids].join('#');
