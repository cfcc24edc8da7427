import { recorded, staffActor } from '../domain/audit.ts';
import { notFound } from '../domain/errors.ts';
import type { Invitation } from '../domain/invitation.ts';
import type { InvitationStore, Mailer, OpsCaller, TicketStore } from '../domain/ports.ts';
import { ticketView, type Ticket } from '../domain/ticket.ts';
import { decisionRefusal, type DecisionTransition } from '../domain/ticket-change.ts';
import { approve, cancelledInstead, reject } from '../domain/ticket-decision.ts';
import { newToken } from '../domain/token.ts';
import { rejectedEmail } from '../email/messages.ts';
import type { Evidence } from '../schemas/invitations.ts';
import type { TicketView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';
import { recordMetrics } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';

export interface DecideDeps extends DeliveryDeps, Announcing {
  tickets: Pick<TicketStore, 'get' | 'apply'>;
  invitations: Pick<InvitationStore, 'get' | 'apply'>;
  mailer: Mailer;
  expiryDays: () => number;
}

type Notification = 'sent' | 'send_failed' | 'no_recipient';

/** Reads before answering 409: a decision that lost a race is decided again on what is there now. */
const rounds = 3;

/**
 * Reads the ticket and its invitation, decides, and writes the decision with the invitation's change in one
 * transaction. A race lost to a revoke, an expiry or another decision is read again, so it ends as a cancellation
 * or a 409; an email already taken by another live invitation can't be helped by reading again.
 */
const decided = async (
  deps: DecideDeps,
  caller: OpsCaller,
  ticketId: string,
  decide: (ticket: Ticket, invitation: Invitation | undefined, at: Date) => DecisionTransition,
): Promise<DecisionTransition> => {
  for (let round = 1; ; round += 1) {
    const ticket = await deps.tickets.get(ticketId);
    if (!ticket) throw notFound('ticket');
    const invitation = await deps.invitations.get(ticket.firmId, ticket.householdId, ticket.invitationId);
    const transition = decide(ticket, invitation, deps.now());
    const change = recorded(transition.change, staffActor(caller, 'ops'), deps.requestId);
    const outcome = await deps.tickets.apply(change);
    if (outcome.ok) {
      await announce(deps, change.events);
      recordMetrics(transition.effects);
      if (transition.next.ticket.status === 'cancelled') throw cancelledInstead(transition.next.ticket);
      return transition;
    }
    if (round >= rounds || outcome.failed.includes('lock')) throw decisionRefusal(outcome);
  }
};

/** Ops vouch for the client: verification becomes verified and the client gets a fresh link by email. */
export const approveVerification = async (
  deps: DecideDeps,
  caller: OpsCaller,
  ticketId: string,
  decision: { note?: string | undefined; evidence: Evidence },
): Promise<{ ticket: TicketView; notification: Notification }> => {
  const link = { token: newToken(), expiresInDays: deps.expiryDays() };
  const { next, effects } = await decided(deps, caller, ticketId, (ticket, invitation, at) =>
    approve(ticket, invitation, { by: caller.sub, at, note: decision.note, evidence: decision.evidence, link }),
  );
  let sent = false;
  for (const effect of effects) {
    // The decision stands even if SES fails; the invitation then shows send_failed and the advisor can resend.
    if (effect.kind === 'email_invitation') {
      ({ sent } = await deliverInvitationEmail(deps, effect.invitation, effect.token, effect.template, staffActor(caller, 'ops')));
    }
  }
  return { ticket: ticketView(next.ticket, deps.now()), notification: sent ? 'sent' : 'send_failed' };
};

/** Ops decline: verification becomes rejected and the advisor hears about it when their address is known. */
export const rejectVerification = async (
  deps: DecideDeps,
  caller: OpsCaller,
  ticketId: string,
  decision: { reason: string; evidence?: Evidence | undefined },
): Promise<{ ticket: TicketView; notification: Notification }> => {
  const { next, effects } = await decided(deps, caller, ticketId, (ticket, invitation, at) =>
    reject(ticket, invitation, { by: caller.sub, at, reason: decision.reason, evidence: decision.evidence }),
  );
  let notification: Notification = 'no_recipient';
  for (const effect of effects) {
    if (effect.kind !== 'email_advisor_rejected') continue;
    notification = await deps.mailer.send(rejectedEmail(effect.ticket, effect.to, effect.reason)).then(
      () => 'sent' as const,
      () => 'send_failed' as const,
    );
  }
  return { ticket: ticketView(next.ticket, deps.now()), notification };
};
