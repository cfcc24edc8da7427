import { recorded, type Actor, type InRequest } from '../domain/audit.ts';
import type { Invitation } from '../domain/invitation.ts';
import type { InvitationChange } from '../domain/invitation-change.ts';
import { recordDelivery } from '../domain/invitation-lifecycle.ts';
import type { InvitationStore, Mailer } from '../domain/ports.ts';
import { invitationEmail, inviteLink, verifiedEmail } from '../email/messages.ts';
import { invitationEmailDelivery } from '../settings/timing.ts';
import { recordMetrics } from './perform-effects.ts';
import { retryFor } from './retry-for.ts';

export interface DeliveryDeps extends InRequest {
  invitations: Pick<InvitationStore, 'apply'>;
  mailer: Mailer;
  portalUrl: () => string;
  now: () => Date;
}

const { recordRetryMs } = invitationEmailDelivery;

/**
 * A sent email left pending would be taken for never sent: a retry of the request takes such an invitation
 * over and emails it (send-invitation), so recording a sent email is retried for a while before giving up.
 * A change not applied means a newer link was issued meanwhile; its own send records its own answer.
 */
const record = (deps: DeliveryDeps, change: InvitationChange, sent: boolean): Promise<unknown> =>
  retryFor({ forMs: sent ? recordRetryMs : 0, firstDelayMs: 500 }, () => deps.invitations.apply(change));

/**
 * Emails the link for `token` and records what SES answered, so a failure shows as send_failed
 * (and can be resent) rather than as a silent gap; `by` sent it, and the trail says so.
 */
export const deliverInvitationEmail = async (
  deps: DeliveryDeps,
  invitation: Invitation,
  token: string,
  kind: 'invitation' | 'verified',
  by: Actor,
): Promise<{ invitation: Invitation; sent: boolean }> => {
  const link = inviteLink(deps.portalUrl(), token);
  const email = kind === 'invitation' ? invitationEmail(invitation, link) : verifiedEmail(invitation, link);
  const sent = await deps.mailer.send(email).then(
    () => true,
    () => false,
  );
  const delivery = recordDelivery(invitation, sent ? 'sent' : 'failed', deps.now());
  // Counted whether or not the record lands: the figure is what SES did.
  recordMetrics(delivery.effects);
  await record(deps, recorded(delivery.change, by, deps.requestId), sent);
  return { invitation: delivery.next, sent };
};
