import { recorded, systemActor, type Actor, type InRequest } from '../domain/audit.ts';
import type { DocumentFiles } from '../domain/document-upload.ts';
import {
  documentsPrefix,
  endForDeletion,
  isTombstone,
  purgeFinished,
  type HouseholdDeletionStore,
  type HouseholdTombstone,
  type Leftover,
} from '../domain/household-deletion.ts';
import { refusalOf } from '../domain/invitation-change.ts';
import type { InvitationStore } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { outbox } from '../settings/timing.ts';
import { recordMetrics } from './perform-effects.ts';

export interface PurgeDeps extends InRequest {
  householdDeletion: HouseholdDeletionStore;
  invitations: Pick<InvitationStore, 'get' | 'apply'>;
  documentFiles: Pick<DocumentFiles, 'removeAll'>;
  now: () => Date;
  /** Time left in this invocation: the purge stops between steps when it runs short, and the sweeper goes on later. */
  remainingMs?: () => number;
}

const pageSize = 100;
const rounds = 5;

/** A live invitation ends as a revocation ends it; a change landing first (a lock, an acceptance) is read again. */
const endInvitation = async (deps: PurgeDeps, tombstone: HouseholdTombstone, invitationId: string, actor: Actor): Promise<void> => {
  for (let round = 1; ; round += 1) {
    const current = await deps.invitations.get(tombstone.firmId, tombstone.householdId, invitationId);
    const ended = current && endForDeletion(current, tombstone.deletedBy, deps.now());
    if (!ended) return;
    const outcome = await deps.invitations.apply(recorded(ended.change, actor, deps.requestId));
    if (outcome.ok) return recordMetrics(ended.effects);
    if (round >= rounds) throw refusalOf(outcome);
  }
};

/** An invitation's own: ended first if live, so no acceptance can grant access after the access is deleted. */
const clearInvitation = async (deps: PurgeDeps, tombstone: HouseholdTombstone, invitation: NonNullable<Leftover['invitation']>, actor: Actor) => {
  if (invitation.state === 'live') await endInvitation(deps, tombstone, invitation.invitationId, actor);
  await deps.householdDeletion.removeLinkAndAccess(tombstone, invitation.tokenHash, invitation.email);
};

/**
 * Removes everything a deleted household held but its tombstone and its trail, in an order that lets nothing come
 * back: invitations are ended (link, lock, open ticket) before their clients' access goes; checklist items before the
 * files, so a file landing meanwhile finds no item and is deleted by record-document-uploads; then the tickets' client
 * details. Every step is safe to repeat, so a purge cut short is resumed from the start by the next run. True once done.
 */
export const purgeHousehold = async (deps: PurgeDeps, tombstone: HouseholdTombstone, actor: Actor): Promise<boolean> => {
  if (tombstone.purgedAt !== undefined) return true;
  const outOfTime = () => deps.remainingMs !== undefined && deps.remainingMs() < outbox.stopMarginMs;
  const ticketIds = new Set<string>();
  for (;;) {
    if (outOfTime()) return false;
    const page = await deps.householdDeletion.leftovers(tombstone.firmId, tombstone.householdId, pageSize);
    if (page.length === 0) break;
    for (const { invitation } of page) {
      if (!invitation) continue;
      await clearInvitation(deps, tombstone, invitation, actor);
      if (invitation.ticketId !== undefined) ticketIds.add(invitation.ticketId);
    }
    await deps.householdDeletion.deleteItems(page.map((left) => left.key));
  }
  if (outOfTime()) return false;
  await deps.documentFiles.removeAll(documentsPrefix(tombstone));
  for (const ticketId of await deps.householdDeletion.ticketIds(tombstone.firmId, tombstone.householdId)) ticketIds.add(ticketId);
  const now = deps.now();
  const at = now.toISOString();
  await Promise.all([...ticketIds].map((ticketId) => deps.householdDeletion.scrubTicket(ticketId, tombstone, at)));
  const done = recorded(purgeFinished(tombstone, now), actor, deps.requestId);
  await deps.householdDeletion.finish(tombstone, at, done.events);
  logger.info('household purged', { firmId: tombstone.firmId, householdId: tombstone.householdId, tickets: ticketIds.size });
  return true;
};

/** The sweeper's repair: a purge its request left owed (it died, or ran short of time), done by the service. */
export const purgeOwed = async (deps: PurgeDeps, household: { firmId: string; householdId: string }): Promise<boolean> => {
  const found = await deps.householdDeletion.find(household.firmId, household.householdId);
  // Nothing there, or no tombstone: no entry can be owed for it.
  if (!found || !isTombstone(found)) return true;
  return purgeHousehold(deps, found, systemActor);
};
