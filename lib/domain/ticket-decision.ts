// Ops decide a verification ticket, as pure deciders. A decision changes the ticket and the invitation behind it
// together: approval verifies the client and gives them a fresh link (the old one dies, the email's lock is taken
// again for the new expiry, the email is owed until SES answers); rejection marks the verification rejected.
// Nobody decides a ticket they raised, nor one nobody can decide any more: that one is cancelled instead.
import { AppError, conflict } from './errors.ts';
import { expiryFrom, recentSends, type Invitation } from './invitation.ts';
import { keyOf, type InvitationChange } from './invitation-change.ts';
import { closed, type Ticket, type TicketEvent } from './ticket.ts';
import { keyOfTicket, type DecisionTransition } from './ticket-change.ts';
import { whyUndecidable } from './ticket-lifecycle.ts';
import { hashToken } from './token.ts';
import type { Effect } from './transition.ts';

export interface ApproveCommand {
  by: string;
  at: Date;
  note?: string | undefined;
  /** The client's fresh link: the raw token (emailed, never stored) and how long it lives. */
  link: { token: string; expiresInDays: number };
}

export interface RejectCommand {
  by: string;
  at: Date;
  reason: string;
}

/** Maker-checker first: the person who raised a ticket (the inviting advisor, who may also be in ops) never decides it. */
export const assertMayDecide = (ticket: Ticket, by: string): void => {
  if (ticket.requestedBy === by) throw new AppError('forbidden', 'You raised this ticket; another member of the ops team must decide it');
  if (ticket.status !== 'open') throw conflict(`This ticket is already ${ticket.status}`);
};

/** The refusal that follows a decision that cancelled the ticket instead. */
export const cancelledInstead = (ticket: Ticket): AppError => conflict(`This ticket is now cancelled: ${ticket.note ?? 'nobody can decide it'}`);

/**
 * The invitation to decide on; or, when it ended or moved on, the ticket's cancellation: a ticket nobody can decide
 * is cancelled, never left open.
 */
const decidable = (
  ticket: Ticket,
  invitation: Invitation | undefined,
  by: string,
  now: Date,
): { invitation: Invitation } | { cancel: DecisionTransition } => {
  const why = invitation === undefined ? 'invitation deleted' : whyUndecidable(invitation, ticket, now);
  if (why === undefined && invitation) return { invitation };
  const at = now.toISOString();
  const event: TicketEvent = { action: 'cancelled', by, at };
  const note = why ?? 'invitation deleted';
  return {
    cancel: {
      next: { ticket: closed(ticket, 'cancelled', event, note), invitation },
      change: {
        key: keyOfTicket(ticket),
        write: { set: { status: 'cancelled', decidedAt: at, decidedBy: by, note }, when: { status: 'open' }, record: event },
        clearRequest: true,
      },
      effects: [{ kind: 'metric', name: 'ticketsCancelled' }],
    },
  };
};

/** How long the client waited on ops, from the ticket's creation to its decision. */
const decisionMetrics = (ticket: Ticket): Effect[] => {
  const waitedMs = Date.parse(ticket.decidedAt ?? '') - Date.parse(ticket.createdAt);
  return [
    { kind: 'metric', name: ticket.status === 'approved' ? 'ticketsApproved' : 'ticketsRejected' },
    ...(Number.isFinite(waitedMs)
      ? [{ kind: 'metric' as const, name: 'ticketTimeToDecision', value: Math.max(0, Math.round(waitedMs / 1000)), unit: 'Seconds' as const }]
      : []),
  ];
};

const deciding = (
  ticket: Ticket,
  decision: { status: 'approved' | 'rejected'; by: string; at: string; note: string | undefined },
  invitationChange: InvitationChange,
) => {
  const event: TicketEvent = { action: 'decided', by: decision.by, at: decision.at };
  const next = closed(ticket, decision.status, event, decision.note);
  const { status, by, at, note } = decision;
  return {
    next,
    change: {
      key: keyOfTicket(ticket),
      write: { set: { status, decidedAt: at, decidedBy: by, ...(note === undefined ? {} : { note }) }, when: { status: 'open' as const }, record: event },
      // A decided ticket needs no ops email any more; its request leaves the outbox with the decision.
      clearRequest: true as const,
      invitation: invitationChange,
    },
  };
};

/** As read: the same link, still live and unexpired, still waiting on this decision. */
const unchangedSince = (invitation: Invitation, at: string) => ({
  tokenHash: invitation.tokenHash,
  state: 'live' as const,
  verificationStatus: invitation.verification.status,
  unexpiredAt: at,
});

/** Ops vouch for the client: verified, with a fresh link emailed to them. */
export const approve = (ticket: Ticket, stored: Invitation | undefined, command: ApproveCommand): DecisionTransition => {
  assertMayDecide(ticket, command.by);
  const target = decidable(ticket, stored, command.by, command.at);
  if ('cancel' in target) return target.cancel;
  const { invitation } = target;
  const at = command.at.toISOString();
  const fields = {
    verification: { status: 'verified' as const },
    verifiedAt: at,
    tokenHash: hashToken(command.link.token),
    expiresAt: expiryFrom(command.at, command.link.expiresInDays),
    delivery: 'pending' as const,
    sends: [...recentSends(invitation, command.at), at],
    updatedAt: at,
  };
  const nextInvitation: Invitation = { ...invitation, ...fields, verification: { ...invitation.verification, status: 'verified' } };
  const { next, change } = deciding(ticket, { status: 'approved', by: command.by, at, note: command.note }, {
    key: keyOf(invitation),
    at,
    write: { set: fields, when: unchangedSince(invitation, at) },
    link: { retire: invitation.tokenHash, issue: { tokenHash: fields.tokenHash, expiresAt: fields.expiresAt } },
    lock: { take: { email: invitation.email, until: fields.expiresAt } },
    emailOwed: true,
  });
  return {
    next: { ticket: next, invitation: nextInvitation },
    change,
    effects: [...decisionMetrics(next), { kind: 'email_invitation', invitation: nextInvitation, token: command.link.token, template: 'verified' }],
  };
};

/** Ops decline: the verification is rejected and the inviting advisor is told why, when their address is known. */
export const reject = (ticket: Ticket, stored: Invitation | undefined, command: RejectCommand): DecisionTransition => {
  assertMayDecide(ticket, command.by);
  const target = decidable(ticket, stored, command.by, command.at);
  if ('cancel' in target) return target.cancel;
  const { invitation } = target;
  const at = command.at.toISOString();
  const fields = { verification: { status: 'rejected' as const }, updatedAt: at };
  const nextInvitation: Invitation = { ...invitation, updatedAt: at, verification: { ...invitation.verification, status: 'rejected' } };
  const { next, change } = deciding(ticket, { status: 'rejected', by: command.by, at, note: command.reason }, {
    key: keyOf(invitation),
    at,
    write: { set: fields, when: unchangedSince(invitation, at) },
  });
  const to = invitation.invitedByEmail;
  return {
    next: { ticket: next, invitation: nextInvitation },
    change,
    effects: [
      ...decisionMetrics(next),
      ...(to === undefined ? [] : [{ kind: 'email_advisor_rejected' as const, ticket: next, to, reason: command.reason }]),
    ],
  };
};
