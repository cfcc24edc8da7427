import { AppError } from '../domain/errors.ts';
import { householdView, lastFour, newHousehold, type HashedAccount, type Household } from '../domain/household.ts';
import type { AccountHasher, Caller, HouseholdStore } from '../domain/ports.ts';
import type { CreateHouseholdInput } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';

export interface CreateHouseholdDeps {
  households: HouseholdStore;
  hasher: AccountHasher;
  now: () => Date;
}

/** What a request asked for, ids and times aside, in a fixed order (a stored map's keys come back in any order). */
const askedFor = (household: Household): string =>
  JSON.stringify([
    household.name,
    household.members.map((m) => [m.firstName, m.lastName, m.email ?? null, m.role]),
    household.accounts.map((a) => [a.numberHash, a.custodian ?? null]),
  ]);

/** An advisor creates a household; without accounts it is a prospect, which is normal, not an error. */
export const createHousehold = async (
  deps: CreateHouseholdDeps,
  caller: Caller,
  input: CreateHouseholdInput,
  idempotencyKey?: string,
): Promise<HouseholdView> => {
  const accounts: HashedAccount[] = await Promise.all(
    input.accounts.map(async (account) => ({
      numberHash: await deps.hasher.hash(caller.firmId, account.accountNumber),
      last4: lastFour(account.accountNumber),
      ...(account.custodian === undefined ? {} : { custodian: account.custodian }),
    })),
  );
  const household = newHousehold(input, accounts, caller, deps.now().toISOString());
  // A write can succeed and its answer still be lost; the key lets the retry find that household.
  const saved = await deps.households.create(household, idempotencyKey === undefined ? undefined : `${caller.sub}#${idempotencyKey}`);
  if (saved.householdId !== household.householdId && askedFor(saved) !== askedFor(household)) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
  }
  return householdView(saved);
};
