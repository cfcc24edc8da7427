// Ops decide a verification ticket, as pure deciders. A decision changes the ticket and the invitation behind it
// together: approval verifies the client and gives them a fresh link (the old one dies, the email's lock is taken
// again for the new expiry, the email is owed until SES answers); rejection marks the verification rejected.
// Nobody decides a ticket they raised, nor one nobody can decide any more: that one is cancelled instead.
import { AppError, conflict } from './errors.ts';
import type { Evidence } from '../schemas/invitations.ts';
import type { Invitation } from './invitation.ts';
import { keyOf, type InvitationChange, type InvitationFields } from './invitation-change.ts';
import { freshLink } from './invitation-lifecycle.ts';
import { closed, ticketHappened, type Ticket, type TicketEvent } from './ticket.ts';
import { assertNotHeldByOther } from './ticket-claim.ts';
import { keyOfTicket, type DecisionTransition } from './ticket-change.ts';
import { cancel, whyUndecidable } from './ticket-lifecycle.ts';
import type { Effect } from './transition.ts';

export interface ApproveCommand {
  by: string;
  at: Date;
  note?: string | undefined;
  /** How ops made sure of the client: no approval without it. */
  evidence: Evidence;
  /** The client's fresh link: the raw token (emailed, never stored) and how long it lives. */
  link: { token: string; expiresInDays: number };
}

export interface RejectCommand {
  by: string;
  at: Date;
  reason: string;
  evidence?: Evidence | undefined;
}

/**
 * Maker-checker first: the person who raised a ticket (the inviting advisor, who may also be in ops) never decides it.
 * Then once only, and on a claimed ticket only by its assignee.
 */
export const assertMayDecide = (ticket: Ticket, by: string): void => {
  if (ticket.requestedBy === by) throw new AppError('forbidden', 'You raised this ticket; another member of the ops team must decide it');
  if (ticket.status !== 'open') throw conflict(`This ticket is already ${ticket.status}`);
  assertNotHeldByOther(ticket, by);
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
  const cancelled = (why: string) => {
    const { next, change, effects } = cancel(ticket, by, why, now);
    return { cancel: { next: { ticket: next, invitation }, change, effects } };
  };
  if (invitation === undefined) return cancelled('invitation deleted');
  const why = whyUndecidable(invitation, ticket, now);
  return why === undefined ? { invitation } : cancelled(why);
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

/** As read: the same link, still live and unexpired, still waiting on this decision. */
const unchangedSince = (invitation: Invitation, at: string) => ({
  tokenHash: invitation.tokenHash,
  state: 'live' as const,
  verificationStatus: invitation.verification.status,
  unexpiredAt: at,
});

/** What a decision does to the invitation: fields set while it is as read, the parts that go with them, and the emails. */
interface InvitationSide {
  set: InvitationFields;
  parts?: Pick<InvitationChange, 'link' | 'lock' | 'emailOwed'>;
  emails: (ticket: Ticket, invitation: Invitation) => Effect[];
}

/**
 * Every decision: maker-checker and once only, then a ticket nobody can decide is cancelled instead; otherwise the
 * ticket is decided and the invitation changed in one change, conditioned on both as read.
 */
const decision = (
  ticket: Ticket,
  stored: Invitation | undefined,
  command: { by: string; at: Date },
  outcome: { status: 'approved' | 'rejected'; note: string | undefined; evidence: Evidence | undefined },
  sideOf: (invitation: Invitation, at: string) => InvitationSide,
): DecisionTransition => {
  assertMayDecide(ticket, command.by);
  const target = decidable(ticket, stored, command.by, command.at);
  if ('cancel' in target) return target.cancel;
  const { invitation } = target;
  const { by } = command;
  const at = command.at.toISOString();
  const side = sideOf(invitation, at);
  const { verification, ...fields } = side.set;
  const nextInvitation: Invitation = { ...invitation, ...fields, verification: { ...invitation.verification, ...verification } };
  const event: TicketEvent = { action: 'decided', by, at };
  const closedTicket = closed(ticket, outcome.status, event, outcome.note);
  const next = outcome.evidence === undefined ? closedTicket : { ...closedTicket, evidence: outcome.evidence };
  const note = outcome.note === undefined ? {} : { note: outcome.note };
  const evidence = outcome.evidence === undefined ? {} : { evidence: outcome.evidence };
  return {
    next: { ticket: next, invitation: nextInvitation },
    change: {
      key: keyOfTicket(ticket),
      // Decided as read: still open, and held by nobody or by the decider.
      write: {
        set: { status: outcome.status, decidedAt: at, decidedBy: by, ...note, ...evidence },
        when: { status: 'open', assignee: ticket.assignee ?? null },
        record: event,
      },
      // A decided ticket needs no ops email any more; its request leaves the outbox with the decision.
      clearRequest: true,
      invitation: { key: keyOf(invitation), at, write: { set: side.set, when: unchangedSince(invitation, at) }, ...side.parts },
      // Both in the household's trail; the nested invitation change carries none of its own.
      audit: [
        ticketHappened(ticket, 'ticket.decided', at, 'open', outcome.status),
        {
          action: outcome.status === 'approved' ? 'verification.verified' : 'verification.rejected',
          at,
          from: invitation.verification.status,
          to: nextInvitation.verification.status,
          invitationId: invitation.invitationId,
          ticketId: ticket.ticketId,
        },
      ],
    },
    effects: [...decisionMetrics(next), ...side.emails(next, nextInvitation)],
  };
};

/** Ops vouch for the client: verified, with a fresh link (its lock taken again for the new expiry) emailed to them. */
export const approve = (ticket: Ticket, stored: Invitation | undefined, command: ApproveCommand): DecisionTransition =>
  decision(ticket, stored, command, { status: 'approved', note: command.note, evidence: command.evidence }, (invitation, at) => {
    const { fields, parts } = freshLink(invitation, command.link, command.at);
    return {
      set: { ...fields, verification: { status: 'verified' }, verifiedAt: at },
      parts,
      emails: (_ticket, next) => [{ kind: 'email_invitation', invitation: next, token: command.link.token, template: 'verified' }],
    };
  });

/** Ops decline: the verification is rejected and the inviting advisor is told why, when their address is known. */
export const reject = (ticket: Ticket, stored: Invitation | undefined, command: RejectCommand): DecisionTransition =>
  decision(ticket, stored, command, { status: 'rejected', note: command.reason, evidence: command.evidence }, (invitation, at) => {
    const to = invitation.invitedByEmail;
    return {
      set: { verification: { status: 'rejected' }, updatedAt: at },
      emails: (next) => (to === undefined ? [] : [{ kind: 'email_advisor_rejected', ticket: next, to, reason: command.reason }]),
    };
  });
