import { recorded, staffActor } from '../domain/audit.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { invitationView } from '../domain/invitation.ts';
import { refusalOf } from '../domain/invitation-change.ts';
import { resend } from '../domain/invitation-lifecycle.ts';
import type { Caller, InvitationStore } from '../domain/ports.ts';
import { newToken } from '../domain/token.ts';
import type { InvitationView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';

/** A new link with a new expiry; the old link stops working at once. At most five emails a day. */
export const resendInvitation = async (
  deps: DeliveryDeps & { invitations: Pick<InvitationStore, 'get' | 'apply'>; expiryDays: () => number },
  caller: Caller,
  ids: { householdId: string; invitationId: string },
): Promise<InvitationView> => {
  const current = await deps.invitations.get(caller.firmId, ids.householdId, ids.invitationId);
  if (!current) throw notFound('invitation');
  const now = deps.now();
  const token = newToken();
  const { change, next } = resend(current, { token, expiresInDays: deps.expiryDays() }, now);
  const by = staffActor(caller, 'advisor');
  const outcome = await deps.invitations.apply(recorded(change, by, deps.requestId));
  if (!outcome.ok) throw refusalOf(outcome);
  const { invitation, sent } = await deliverInvitationEmail(deps, next, token, 'invitation', by);
  if (!sent) throw new AppError('email_send_failed', 'The new link was issued but its email could not be sent; resend again shortly');
  return invitationView(invitation, now);
};
