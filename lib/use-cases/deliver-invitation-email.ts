import type { Invitation } from '../domain/invitation.ts';
import type { InvitationStore, Mailer } from '../domain/ports.ts';
import { invitationEmail, inviteLink, verifiedEmail } from '../email/messages.ts';

export interface DeliveryDeps {
  invitations: InvitationStore;
  mailer: Mailer;
  portalUrl: () => string;
  now: () => Date;
}

/**
 * Emails the link for `token` and records what SES answered, so a failure shows as send_failed
 * (and can be resent) rather than as a silent gap.
 */
export const deliverInvitationEmail = async (
  deps: DeliveryDeps,
  invitation: Invitation,
  token: string,
  kind: 'invitation' | 'verified',
): Promise<{ invitation: Invitation; sent: boolean }> => {
  const link = inviteLink(deps.portalUrl(), token);
  const email = kind === 'invitation' ? invitationEmail(invitation, link) : verifiedEmail(invitation, link);
  const sent = await deps.mailer.send(email).then(
    () => true,
    () => false,
  );
  const at = deps.now().toISOString();
  await deps.invitations.recordDelivery(invitation, invitation.tokenHash, sent ? 'sent' : 'failed', at);
  return {
    invitation: { ...invitation, delivery: sent ? 'sent' : 'failed', ...(sent ? { sentAt: at } : {}), updatedAt: at },
    sent,
  };
};
