import { recorded, staffActor } from '../domain/audit.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { deleteHousehold, isTombstone, tombstoneView, type HouseholdTombstone } from '../domain/household-deletion.ts';
import type { Caller } from '../domain/ports.ts';
import { logger } from '../logger.ts';
import { announce, type Announcing } from './publish-events.ts';
import { purgeHousehold, type PurgeDeps } from './purge-household.ts';

export type DeleteHouseholdDeps = PurgeDeps & Announcing;

const rounds = 3;

/** The purge right after the commit; whatever it leaves (a crash, an outage, the deadline) the sweeper finishes. */
const purgeNow = async (deps: DeleteHouseholdDeps, tombstone: HouseholdTombstone, caller: Caller): Promise<void> => {
  const done = await purgeHousehold(deps, tombstone, staffActor(caller, 'advisor')).catch((error: unknown) => {
    logger.warn('household purge left to the sweeper', { error: error instanceof Error ? error.name : 'unknown' });
    return false;
  });
  if (!done) logger.info('household purge unfinished; the sweeper finishes it', { householdId: tombstone.householdId });
};

/**
 * An advisor deletes a household of their firm: a tombstone at once (out of every list, 404 to every read but its
 * trail), then the purge of everything it held. Deleting it again answers as the first time did, and finishes a purge
 * still owed: a retry after a lost answer must not look like a failure.
 */
export const deleteHouseholdOf = async (deps: DeleteHouseholdDeps, caller: Caller, householdId: string) => {
  for (let round = 1; ; round += 1) {
    const found = await deps.householdDeletion.find(caller.firmId, householdId);
    if (!found) throw notFound('household');
    if (isTombstone(found)) {
      await purgeNow(deps, found, caller);
      return tombstoneView(found);
    }
    const deletion = recorded(deleteHousehold(found, caller.sub, deps.now()), staffActor(caller, 'advisor'), deps.requestId);
    if (await deps.householdDeletion.remove(deletion)) {
      await announce(deps, deletion.events);
      await purgeNow(deps, deletion.tombstone, caller);
      return tombstoneView(deletion.tombstone);
    }
    // Its status moved on since it was read (an account linked): decided again on what it is now.
    if (round >= rounds) throw conflict('The household changed meanwhile; try again');
  }
};
