import { auditView } from '../domain/audit.ts';
import { notFound } from '../domain/errors.ts';
import type { AuditTrail, Caller, HouseholdStore, Page, PageRequest } from '../domain/ports.ts';
import type { HouseholdEventView } from '../schemas/events.ts';

/** A household's audit trail, oldest first: what happened to it, its invitations and its tickets, who did it, when. */
export const listHouseholdEvents = async (
  deps: { households: Pick<HouseholdStore, 'known'>; auditTrail: AuditTrail },
  caller: Caller,
  householdId: string,
  page: PageRequest,
): Promise<Page<HouseholdEventView>> => {
  // Another firm's household id must answer 404, not an empty trail; a deleted household's trail outlives it.
  if (!(await deps.households.known(caller.firmId, householdId))) throw notFound('household');
  const found = await deps.auditTrail.list(caller.firmId, householdId, page);
  return { items: found.items.map(auditView), nextCursor: found.nextCursor };
};
