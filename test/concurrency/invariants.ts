// The promises of issue #10, each a small named check over what the model saw and what the system holds.
// Each returns the violations it found (empty when the promise held), so a failure names the promise broken.
import type { StoredMail } from '../support/mail.ts';
import { answerProblem, newestLinkTo, tokenHashOf, type OutboxItem, type StoredInvitation, type StoredTicket, type SystemReader } from './system.ts';

/** One client or ops request the model made about an invitation, on a logical clock (start < end). */
export interface Observation {
  invitationId: string;
  act: 'wrong_number' | 'right_number' | 'approve';
  start: number;
  end: number;
  status: number;
}

const isLive = (invitation: StoredInvitation, now: Date) => invitation.state === 'live' && Date.parse(invitation.expiresAt) > now.getTime();

/** At most one live invitation per household and email. */
export const atMostOneLiveInvitationPerEmail = (invitations: StoredInvitation[], now: Date): string[] => {
  const live = new Map<string, string[]>();
  for (const invitation of invitations.filter((i) => isLive(i, now))) {
    const key = `${invitation.householdId} ${invitation.email.toLowerCase()}`;
    live.set(key, [...(live.get(key) ?? []), invitation.invitationId]);
  }
  return [...live].filter(([, ids]) => ids.length > 1).map(([key, ids]) => `${ids.length} live invitations for ${key}: ${ids.join(', ')}`);
};

/** A wrong number counts once the link was live: anything but a dead link (404) or a throttled source (429). */
const reachedTheInvitation = (o: Observation) => o.act === 'wrong_number' && o.status !== 404 && o.status !== 429;

/** An ops approval begun before `at` may lawfully have verified the client. */
const approvedBefore = (log: Observation[], invitationId: string, at: number) =>
  log.some((o) => o.invitationId === invitationId && o.act === 'approve' && o.start < at);

/**
 * More than 5 wrong numbers never reach compare: a right number sent after 5 answered wrong ones must not verify,
 * unless ops approved meanwhile or an earlier right number (sent while fewer than 5 were in) may have verified first.
 */
export const fiveWrongNumbersNeverReachCompare = (log: Observation[]): string[] => {
  const wrongBefore = (invitationId: string, at: number) => log.filter((o) => o.invitationId === invitationId && reachedTheInvitation(o) && o.end < at).length;
  return log
    .filter((o) => o.act === 'right_number' && o.status === 200)
    .filter((right) => wrongBefore(right.invitationId, right.start) >= 5)
    .filter((right) => !approvedBefore(log, right.invitationId, right.start))
    .filter(
      (right) =>
        !log.some(
          (earlier) =>
            earlier.invitationId === right.invitationId &&
            earlier.act === 'right_number' &&
            earlier.start < right.start &&
            wrongBefore(earlier.invitationId, earlier.start) < 5,
        ),
    )
    .map((right) => `invitation ${right.invitationId}: the right number verified (200) after ${wrongBefore(right.invitationId, right.start)} answered wrong numbers`);
};

/** A locked invitation never verifies: after a 423, only ops can verify the client, never the account number. */
export const lockedInvitationNeverVerifies = (log: Observation[]): string[] =>
  log
    .filter((right) => right.act === 'right_number' && right.status === 200)
    .filter((right) => log.some((o) => o.invitationId === right.invitationId && o.act === 'wrong_number' && o.status === 423 && o.end < right.start))
    .filter((right) => !approvedBefore(log, right.invitationId, right.start))
    .map((right) => `invitation ${right.invitationId}: locked (423 answered), then the right number verified (200)`);

/** One ticket per request (no duplicates for an invitation's request), and no live invitation's request is lost. */
export const oneTicketPerRequest = (tickets: StoredTicket[], invitations: StoredInvitation[], now: Date): string[] => {
  const perRequest = new Map<string, string[]>();
  for (const ticket of tickets) {
    const key = `${ticket.invitationId} ${ticket.reason}`;
    perRequest.set(key, [...(perRequest.get(key) ?? []), ticket.ticketId]);
  }
  const duplicates = [...perRequest]
    .filter(([, ids]) => ids.length > 1)
    .map(([key, ids]) => `${ids.length} tickets for one request (${key}): ${ids.join(', ')}`);
  const ticketIds = new Set(tickets.map((t) => t.ticketId));
  const lost = invitations
    .filter((i) => isLive(i, now) && (i.verification.status === 'pending_review' || i.verification.status === 'locked'))
    .filter((i) => i.verification.ticketId === undefined || !ticketIds.has(i.verification.ticketId))
    .map((i) => `invitation ${i.invitationId} waits for ops (${i.verification.status}) but its ticket ${i.verification.ticketId} was never filed`);
  return [...duplicates, ...lost];
};

/** The newest email with a link, to a client whose invitation is live and sent, carries that invitation's current link. */
export const newestEmailCarriesCurrentLink = (invitations: StoredInvitation[], mails: StoredMail[], now: Date): string[] =>
  invitations
    .filter((i) => isLive(i, now) && i.delivery === 'sent')
    .flatMap((i) => {
      const token = newestLinkTo(mails, i.email);
      if (token === undefined) return [`invitation ${i.invitationId} is recorded as sent but ${i.email} got no link`];
      return tokenHashOf(token) === i.tokenHash ? [] : [`the newest link mailed to ${i.email} is dead; live invitation ${i.invitationId} has another`];
    });

/** Nothing stays in the outbox past its budget: after the settle window only entries set aside as stuck may remain. */
export const outboxEmptiedWithinBudget = (entries: OutboxItem[], budgetSeconds: number): string[] =>
  entries.filter((e) => !e.stuck).map((e) => `${e.kind} outbox entry due ${e.dueAt} still there ${budgetSeconds} s after the last command`);

/** Every open ticket can be decided or is cancelled: rejecting it answers 200, or it turns out cancelled. */
export const everyOpenTicketCanBeDecided = async (reader: SystemReader, firmId: string, opsToken: string): Promise<string[]> => {
  const open = (await reader.ticketsOf(firmId)).filter((t) => t.status === 'open');
  const problems: string[] = [];
  for (const ticket of open) {
    const answer = await reader.api('POST', `/ops/tickets/${ticket.ticketId}/reject`, { token: opsToken, body: { reason: 'model check' } });
    const envelope = answerProblem(`reject ${ticket.ticketId}`, answer);
    if (envelope) problems.push(envelope);
    if (answer.status === 200) continue;
    const after = (await reader.ticketsOf(firmId)).find((t) => t.ticketId === ticket.ticketId);
    if (after?.status !== 'cancelled') {
      problems.push(`open ticket ${ticket.ticketId} (${ticket.reason}) can't be decided: reject answered ${answer.status} ${answer.body?.error?.message ?? ''}`);
    }
  }
  return problems;
};
