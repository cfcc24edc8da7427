import { notFound } from '../domain/errors.ts';
import { invitationView } from '../domain/invitation.ts';
import type { Caller, HouseholdStore, InvitationStore, Page, PageRequest } from '../domain/ports.ts';
import type { InvitationView } from '../schemas/views.ts';

export const listInvitations = async (
  deps: { households: Pick<HouseholdStore, 'get'>; invitations: Pick<InvitationStore, 'list'>; now: () => Date },
  caller: Caller,
  householdId: string,
  page: PageRequest,
): Promise<Page<InvitationView>> => {
  // Another firm's household id must answer 404, not an empty list.
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  const found = await deps.invitations.list(caller.firmId, householdId, page);
  const now = deps.now();
  return { items: found.items.map((invitation) => invitationView(invitation, now)), nextCursor: found.nextCursor };
};
