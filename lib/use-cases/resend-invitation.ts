import { AppError, notFound } from '../domain/errors.ts';
import { assertResendable, expiryFrom, invitationView } from '../domain/invitation.ts';
import type { Caller } from '../domain/ports.ts';
import { hashToken, newToken } from '../domain/token.ts';
import type { InvitationView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';

/** A new link with a new expiry; the old link stops working at once. At most five emails a day. */
export const resendInvitation = async (
  deps: DeliveryDeps & { expiryDays: () => number },
  caller: Caller,
  ids: { householdId: string; invitationId: string },
): Promise<InvitationView> => {
  const current = await deps.invitations.get(caller.firmId, ids.householdId, ids.invitationId);
  if (!current) throw notFound('invitation');
  const now = deps.now();
  assertResendable(current, now);
  const token = newToken();
  const reissued = await deps.invitations.replaceToken(
    current,
    { hash: hashToken(token), expiresAt: expiryFrom(now, deps.expiryDays()) },
    now.toISOString(),
  );
  const { invitation, sent } = await deliverInvitationEmail(deps, reissued, token, 'invitation');
  if (!sent) throw new AppError('email_send_failed', 'The new link was issued but its email could not be sent; resend again shortly');
  return invitationView(invitation, now);
};
