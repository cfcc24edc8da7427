import type { Invitation } from '../domain/invitation.ts';
import type { InvitationStore, Mailer } from '../domain/ports.ts';
import { invitationEmail, inviteLink, verifiedEmail } from '../email/messages.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';
import { invitationEmailDelivery } from '../settings/timing.ts';
import { retryFor } from './retry-for.ts';

export interface DeliveryDeps {
  invitations: InvitationStore;
  mailer: Mailer;
  portalUrl: () => string;
  now: () => Date;
}

const { recordRetryMs } = invitationEmailDelivery;

/**
 * A sent email left pending would be taken for never sent: a retry of the request takes such an invitation
 * over and emails it (send-invitation), so recording a sent email is retried for a while before giving up.
 */
const record = (deps: DeliveryDeps, invitation: Invitation, sent: boolean, at: string): Promise<void> =>
  retryFor({ forMs: sent ? recordRetryMs : 0, firstDelayMs: 500 }, () => deps.invitations.recordDelivery(invitation, invitation.tokenHash, sent ? 'sent' : 'failed', at));

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
  recordMetric(sent ? businessMetrics.invitationsSent : businessMetrics.invitationsFailed);
  const at = deps.now().toISOString();
  await record(deps, invitation, sent, at);
  return {
    invitation: { ...invitation, delivery: sent ? 'sent' : 'failed', ...(sent ? { sentAt: at } : {}), updatedAt: at },
    sent,
  };
};
