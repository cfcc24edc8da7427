import { AppError, notFound } from '../domain/errors.ts';
import { invitationView, newInvitation, ticketRequestFor } from '../domain/invitation.ts';
import type { Caller, HouseholdStore, TicketQueue } from '../domain/ports.ts';
import { hashToken, newToken } from '../domain/token.ts';
import { logger } from '../logger.ts';
import type { CreateInvitationInput, InvitationView } from '../schemas/invitations.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';

export interface SendInvitationDeps extends DeliveryDeps {
  households: HouseholdStore;
  ticketQueue: TicketQueue;
  expiryDays: () => number;
}

/**
 * An advisor invites a household member. For a household without accounts the same write records a
 * verification-bypass ticket request, which is queued now and re-queued by the sweeper if this send fails.
 */
export const sendInvitation = async (
  deps: SendInvitationDeps,
  caller: Caller,
  householdId: string,
  input: CreateInvitationInput,
): Promise<InvitationView> => {
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  const now = deps.now();
  const token = newToken();
  const invitation = newInvitation({
    household,
    caller,
    client: { firstName: input.firstName, lastName: input.lastName, email: input.email },
    tokenHash: hashToken(token),
    expiresInDays: input.expiresInDays ?? deps.expiryDays(),
    now,
  });
  const ticketRequest =
    invitation.verification.method === 'manual' ? ticketRequestFor(invitation, 'no_account', now) : undefined;
  await deps.invitations.create(invitation, ticketRequest);

  const [delivery, queued] = await Promise.allSettled([
    deliverInvitationEmail(deps, invitation, token, 'invitation'),
    ticketRequest ? deps.ticketQueue.send([ticketRequest]) : Promise.resolve(),
  ]);
  if (queued.status === 'rejected') {
    logger.warn('ticket request not queued; the outbox sweeper will queue it', { invitationId: invitation.invitationId });
  }
  if (delivery.status === 'rejected') throw delivery.reason;
  if (!delivery.value.sent) {
    throw new AppError('email_send_failed', 'The invitation was saved but its email could not be sent; resend it', [
      { message: 'resend with POST .../invitations/{invitationId}/resend', invitationId: invitation.invitationId },
    ]);
  }
  return invitationView(delivery.value.invitation, now);
};
