import { documentRequestView, type DocumentRequestStore, type DocumentRequestView } from '../domain/document-request.ts';
import { notFound } from '../domain/errors.ts';
import type { Caller, HouseholdStore } from '../domain/ports.ts';

/** A household's checklist as the advisor sees it: every item with its status and, once received, its file. */
export const listDocumentRequests = async (
  deps: { households: Pick<HouseholdStore, 'get'>; documentRequests: Pick<DocumentRequestStore, 'list'>; retentionDays: () => number },
  caller: Caller,
  householdId: string,
): Promise<{ items: DocumentRequestView[] }> => {
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  const days = deps.retentionDays();
  return { items: (await deps.documentRequests.list(caller.firmId, householdId)).map((item) => documentRequestView(item, days)) };
};
