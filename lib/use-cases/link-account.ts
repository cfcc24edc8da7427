import { householdView, lastFour, storedAccount } from '../domain/household.ts';
import type { AccountHasher, Caller, HouseholdStore } from '../domain/ports.ts';
import type { NewAccount } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';

/** Linking the first account turns a prospect household into a client household. */
export const linkAccount = async (
  deps: { households: HouseholdStore; hasher: AccountHasher; now: () => Date },
  caller: Caller,
  householdId: string,
  input: NewAccount,
): Promise<HouseholdView> => {
  // The first hash is under the current key; during a rotation the others find the number stored under the previous one.
  const [numberHash = '', ...sameNumber] = await deps.hasher.hashesToMatch(caller.firmId, input.accountNumber);
  const account = storedAccount({
    numberHash,
    last4: lastFour(input.accountNumber),
    ...(input.custodian === undefined ? {} : { custodian: input.custodian }),
  });
  const household = await deps.households.addAccount(caller.firmId, householdId, account, deps.now().toISOString(), sameNumber);
  return householdView(household);
};
