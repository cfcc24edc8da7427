// Deleting a household (issue #15 item 7): the household becomes a tombstone at once, and everything derived from it
// is purged right after, by the request and, should that die or run short of time, by the sweeper (the tombstone is
// its own outbox entry). Only the tombstone and the audit trail stay: the trail holds ids and states, no personal data.
import type { AuditEvent, Happening } from './audit.ts';
import type { Household } from './household.ts';
import type { Invitation } from './invitation.ts';
import type { InvitationTransition } from './invitation-change.ts';
import { end } from './invitation-lifecycle.ts';

/** What is left of a deleted household: who deleted it and when, nothing about the people in it. */
export interface HouseholdTombstone {
  firmId: string;
  householdId: string;
  status: 'deleted';
  deletedAt: string;
  deletedBy: string;
  createdAt: string;
  /** When everything derived from it was gone; absent while the purge is still owed. */
  purgedAt?: string | undefined;
}

/** Why the tickets and invitations a deletion ends were ended, in the ticket's note. */
export const deletionReason = 'household deleted';

/** What a closed ticket's own note (ops' words, which may name the client) reads once its household is deleted. */
export const scrubbedNote = '(deleted with the household)';

/**
 * How long the sweeper leaves a purge to the request that deleted the household before taking it over: long
 * enough for the request to finish it (seconds), short enough that a crash leaves the data for minutes only.
 */
export const purgeGraceMs = 2 * 60 * 1000;

/** The deletion as decided: the tombstone, written only while the household is still in the status read. */
export interface HouseholdDeletion {
  key: { firmId: string; householdId: string };
  tombstone: HouseholdTombstone;
  statusAsRead: Household['status'];
  /** When the sweeper may take the purge over. */
  purgeDueAt: string;
  audit: Happening[];
  events?: AuditEvent[] | undefined;
}

export const isTombstone = (found: Household | HouseholdTombstone): found is HouseholdTombstone => found.status === 'deleted';

/** An advisor deletes a prospect or a client: a tombstone, with the purge of what it held owed. */
export const deleteHousehold = (household: Household, by: string, now: Date): HouseholdDeletion => {
  const at = now.toISOString();
  return {
    key: { firmId: household.firmId, householdId: household.householdId },
    tombstone: {
      firmId: household.firmId,
      householdId: household.householdId,
      status: 'deleted',
      deletedAt: at,
      deletedBy: by,
      createdAt: household.createdAt,
    },
    statusAsRead: household.status,
    purgeDueAt: new Date(now.getTime() + purgeGraceMs).toISOString(),
    audit: [{ action: 'household.deleted', at, from: household.status, to: 'deleted' }],
  };
};

/** The purge is done: the trail says so, once. */
export const purgeFinished = (tombstone: HouseholdTombstone, now: Date): { key: HouseholdDeletion['key']; audit: Happening[] } => ({
  key: { firmId: tombstone.firmId, householdId: tombstone.householdId },
  audit: [{ action: 'household.purged', at: now.toISOString(), from: 'deleted', to: 'purged' }],
});

/**
 * A live invitation of a deleted household ends exactly as a revocation ends it (its link dies, its lock is freed,
 * an open ticket is cancelled, one still on its way to ops included), whatever its expiry, with the deletion as the
 * ticket's reason. Anything but a live invitation needs no ending: it is only deleted.
 */
export const endForDeletion = (invitation: Invitation, by: string, now: Date): InvitationTransition | undefined => {
  if (invitation.state !== 'live') return undefined;
  const at = now.toISOString();
  const ended = end(invitation, { fields: { state: 'revoked', revokedAt: at }, expiry: { tokenHash: invitation.tokenHash }, by }, now);
  const ticket = ended.change.cancelTicket;
  return ticket ? { ...ended, change: { ...ended.change, cancelTicket: { ...ticket, note: deletionReason } } } : ended;
};

/** What the API answers for a deleted household: the same on every repeat of the deletion. */
export const tombstoneView = (tombstone: HouseholdTombstone) => ({
  householdId: tombstone.householdId,
  status: tombstone.status,
  deletedAt: tombstone.deletedAt,
});

/** The prefix every object of the household's documents is kept under (document-upload.ts uploadKey). */
export const documentsPrefix = (household: { firmId: string; householdId: string }): string => `households/${household.firmId}/${household.householdId}/`;

/** An item the purge removes from the household's partition, with what it needs to remove what the item points to. */
export interface Leftover {
  key: { pk: string; sk: string };
  /** Set for an invitation: its state, current link and client, whose portal access goes with it. */
  invitation?: { invitationId: string; state: Invitation['state']; tokenHash?: string | undefined; email: string; ticketId?: string | undefined };
}

/** The purge's reads and writes (lib/adapters/dynamodb/household-deletion.ts); each is safe to repeat. */
export interface HouseholdDeletionStore {
  /** The household, its tombstone, or nothing (never existed, or another firm's), read consistently. */
  find(firmId: string, householdId: string): Promise<Household | HouseholdTombstone | undefined>;
  /** Writes the tombstone, its events and the purge owed, while the household is still in the status read; false if not. */
  remove(deletion: HouseholdDeletion): Promise<boolean>;
  /** Up to `limit` items of the household's partition still to remove: every one but the tombstone and the trail. */
  leftovers(firmId: string, householdId: string, limit: number): Promise<Leftover[]>;
  deleteItems(keys: Leftover['key'][]): Promise<void>;
  /** Deletes an invitation link's pointer and the client's access to this household's portal. */
  removeLinkAndAccess(household: { firmId: string; householdId: string }, tokenHash: string | undefined, email: string): Promise<void>;
  /** Every ticket its trail names. */
  ticketIds(firmId: string, householdId: string): Promise<string[]>;
  /** Clears the client's name and email and the household's name from a closed ticket of this household. */
  scrubTicket(ticketId: string, household: { firmId: string; householdId: string }, at: string): Promise<void>;
  /** Records the purge done with its events and takes it out of the outbox, once. */
  finish(tombstone: HouseholdTombstone, purgedAt: string, events: AuditEvent[]): Promise<void>;
}
