import { eventsOf, staffActor, type InRequest } from '../domain/audit.ts';
import { documentRequestView, maxItemsPerHousehold, requestDocuments, requestedHappenings, type DocumentRequestStore, type DocumentRequestView } from '../domain/document-request.ts';
import { AppError, notFound } from '../domain/errors.ts';
import type { Caller, HouseholdStore, RequestMarker } from '../domain/ports.ts';
import type { DocumentRequestItemInput } from '../schemas/document-requests.ts';

/** The advisor adds documents to a household's checklist; the answer is the whole checklist, oldest first. */
export const addDocumentRequests = async (
  deps: { households: Pick<HouseholdStore, 'get'>; documentRequests: Pick<DocumentRequestStore, 'list' | 'add'>; retentionDays: () => number; now: () => Date } & InRequest,
  caller: Caller,
  householdId: string,
  items: DocumentRequestItemInput[],
  marker?: RequestMarker,
): Promise<{ items: DocumentRequestView[] }> => {
  // Another firm's household id must answer 404, as if it did not exist.
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  const before = await deps.documentRequests.list(caller.firmId, householdId);
  // A soft limit (two concurrent calls can both pass it): it keeps the checklist a read of one or two pages.
  if (before.length + items.length > maxItemsPerHousehold) {
    throw new AppError('conflict', `A household's checklist holds at most ${maxItemsPerHousehold} items`);
  }
  const added = requestDocuments(household, items, caller.sub, deps.now(), caller.email);
  const events = eventsOf(household, requestedHappenings(added), { actor: staffActor(caller, 'advisor'), requestId: deps.requestId });
  await deps.documentRequests.add(added, events, marker);
  const days = deps.retentionDays();
  return { items: (await deps.documentRequests.list(caller.firmId, householdId)).map((item) => documentRequestView(item, days)) };
};
