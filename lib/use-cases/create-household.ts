import { eventsOf, staffActor, type InRequest } from '../domain/audit.ts';
import { creation, householdView, lastFour, newHousehold, type HashedAccount } from '../domain/household.ts';
import type { AccountHasher, Caller, HouseholdStore, RequestMarker } from '../domain/ports.ts';
import type { CreateHouseholdInput } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';
import { announce, type Announcing } from './publish-events.ts';

export interface CreateHouseholdDeps extends InRequest, Announcing {
  households: Pick<HouseholdStore, 'create'>;
  hasher: AccountHasher;
  now: () => Date;
}

/** An advisor creates a household; without accounts it is a prospect, which is normal, not an error. */
export const createHousehold = async (
  deps: CreateHouseholdDeps,
  caller: Caller,
  input: CreateHouseholdInput,
  marker?: RequestMarker,
): Promise<HouseholdView> => {
  const accounts: HashedAccount[] = await Promise.all(
    input.accounts.map(async (account) => ({
      numberHash: await deps.hasher.hash(caller.firmId, account.accountNumber),
      last4: lastFour(account.accountNumber),
      ...(account.custodian === undefined ? {} : { custodian: account.custodian }),
    })),
  );
  const household = newHousehold(input, accounts, caller, deps.now().toISOString());
  // A write can succeed and its answer still be lost; the marker lets the retry find that household.
  const events = eventsOf(household, [creation(household)], { actor: staffActor(caller, 'advisor'), requestId: deps.requestId });
  const saved = await deps.households.create(household, events, marker);
  // A retry that found its earlier attempt's household announces nothing: these events were never written.
  if (saved.householdId === household.householdId) await announce(deps, events);
  return householdView(saved);
};
