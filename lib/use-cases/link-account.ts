import { eventsOf, staffActor, type InRequest } from '../domain/audit.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { householdView, lastFour, linking, storedAccount } from '../domain/household.ts';
import type { AccountHasher, Caller, HouseholdStore } from '../domain/ports.ts';
import type { NewAccount } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';
import { announce, type Announcing } from './publish-events.ts';

/** Reads before refusing: each lost race means another link converted the prospect meanwhile. */
const rounds = 3;

/** Linking the first account turns a prospect household into a client household, and the trail says so. */
export const linkAccount = async (
  deps: { households: Pick<HouseholdStore, 'get' | 'addAccount'>; hasher: AccountHasher; now: () => Date } & InRequest & Announcing,
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
  for (let round = 1; round <= rounds; round += 1) {
    const household = await deps.households.get(caller.firmId, householdId);
    if (!household) throw notFound('household');
    const at = deps.now().toISOString();
    const events = eventsOf(household, [linking(household, at)], { actor: staffActor(caller, 'advisor'), requestId: deps.requestId });
    const linked = await deps.households.addAccount({ firmId: caller.firmId, householdId, account, at, sameNumber, statusAsRead: household.status, events });
    if (linked) {
      await announce(deps, events);
      return householdView(linked);
    }
  }
  throw conflict('The household changed meanwhile; read it again and retry');
};
