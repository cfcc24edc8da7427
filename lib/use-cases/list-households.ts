import { householdView } from '../domain/household.ts';
import type { Caller, HouseholdStore, Page, PageRequest } from '../domain/ports.ts';
import type { HouseholdStatus } from '../schemas/households.ts';
import type { HouseholdView } from '../schemas/views.ts';

export const listHouseholds = async (
  deps: { households: Pick<HouseholdStore, 'list'> },
  caller: Caller,
  query: PageRequest & { status?: HouseholdStatus | undefined },
): Promise<Page<HouseholdView>> => {
  const page = await deps.households.list(caller.firmId, { status: query.status }, query);
  return { items: page.items.map(householdView), nextCursor: page.nextCursor };
};
