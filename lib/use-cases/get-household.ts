import { notFound } from '../domain/errors.ts';
import { householdView } from '../domain/household.ts';
import type { Caller, HouseholdStore } from '../domain/ports.ts';
import type { HouseholdView } from '../schemas/views.ts';

/** Another firm's household is answered exactly like a missing one. */
export const getHousehold = async (
  deps: { households: Pick<HouseholdStore, 'get'> },
  caller: Caller,
  householdId: string,
): Promise<HouseholdView> => {
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  return householdView(household);
};
