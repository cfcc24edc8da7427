// Property: whatever the queue, the ops inbox, ops, advisors and the clock do, in any order and on copies read at any
// earlier moment, the ticket deciders and the stores' conditions never let a ticket reach a forbidden state: one
// assignee at a time, and a claimed ticket decided only by its assignee.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import type { Invitation } from '../../lib/domain/invitation.ts';
import { resend, revoke } from '../../lib/domain/invitation-lifecycle.ts';
import type { Ticket } from '../../lib/domain/ticket.ts';
import type { DecisionTransition, TicketTransition } from '../../lib/domain/ticket-change.ts';
import { claim, release } from '../../lib/domain/ticket-claim.ts';
import { approve, reject } from '../../lib/domain/ticket-decision.ts';
import { markNotified, raise, releaseNotification, whyUndecidable } from '../../lib/domain/ticket-lifecycle.ts';
import { newToken } from '../../lib/domain/token.ts';
import type { TicketRequest } from '../../lib/schemas/invitations.ts';
import { firmCaller, minutesAfter, sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';
import { memoryTickets } from '../support/memory/tickets-memory.ts';

type Act =
  | { kind: 'deliver'; stale: number }
  | { kind: 'revoke'; stale: number }
  | { kind: 'resend'; stale: number }
  | { kind: 'emailed'; pending: number }
  | { kind: 'emailFailed'; pending: number }
  | { kind: 'decide'; verb: 'approve' | 'reject'; by: string; stale: number }
  | { kind: 'claim'; by: string; stale: number }
  | { kind: 'release'; by: string; stale: number }
  | { kind: 'tick'; minutes: number };

const leaseMs = 60_000;
const requester = firmCaller.sub;
// Mostly the copy just read; now and then one read a few steps ago, as a request that was slow to write.
const stale = fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat(5), weight: 1 });
const opsUser = fc.constantFrom(requester, 'ops-1', 'ops-2');
const act: fc.Arbitrary<Act> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('deliver' as const), stale }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constantFrom('emailed' as const, 'emailFailed' as const), pending: fc.nat(2) }), weight: 4 },
  {
    arbitrary: fc.record({ kind: fc.constant('decide' as const), verb: fc.constantFrom('approve' as const, 'reject' as const), by: opsUser, stale }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constantFrom('claim' as const, 'release' as const), by: opsUser, stale }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constantFrom('revoke' as const, 'resend' as const), stale }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.constantFrom(0.5, 2, 30, 6 * 60, 8 * 24 * 60) }), weight: 2 },
);

type Read = { ticket: Ticket | undefined; invitation: Invitation | undefined };

/** One run: the stores, every copy read so far, the ops emails in flight and what the model saw commit. */
const world = async () => {
  const memory = memoryInvitations();
  const invited = sent({ prospect: true });
  await memory.store.create(invited.change);
  const request = (invited.change.ticketRequest as { owe: TicketRequest }).owe;
  return {
    memory,
    tickets: memoryTickets(memory),
    request,
    now: minutesAfter(start, 1),
    reads: [] as Read[],
    /** Tickets whose ops email went out under a lease, its outcome not yet recorded. */
    inFlight: [] as Ticket[],
    closedAs: undefined as string | undefined,
    problems: [] as string[],
  };
};
type World = Awaited<ReturnType<typeof world>>;

const current = (w: World): Read => ({
  ticket: structuredClone(w.memory.tickets.get(w.request.ticketId)),
  invitation: structuredClone([...w.memory.invitations.values()][0]),
});
const readAt = (w: World, staleness: number): Read => w.reads[Math.max(0, w.reads.length - 1 - staleness)] ?? current(w);

/** Writes a ticket transition and checks it against the state it really applied to, not the copy it was decided on. */
const commit = async (w: World, transition: TicketTransition | DecisionTransition, fresh: boolean) => {
  const before = current(w);
  const outcome = await w.tickets.store.apply(transition.change);
  if (!outcome.ok) return;
  const next = 'ticketId' in transition.next ? transition.next : transition.next.ticket;
  const { ticket, invitation } = before;
  if (fresh && JSON.stringify(current(w).ticket) !== JSON.stringify(structuredClone(next))) w.problems.push('the store wrote other than the decider said');
  const decided = next.status !== 'open' && ticket?.status !== next.status;
  const holder = ticket?.assignee;
  if (transition.change.write && 'set' in transition.change.write && transition.change.write.set.assignee !== undefined && holder !== undefined) {
    w.problems.push(`${transition.change.write.set.assignee} claimed a ticket ${holder} held`);
  }
  if (decided && next.status !== 'cancelled' && holder !== undefined && holder !== next.decidedBy) w.problems.push(`${next.decidedBy} decided a ticket ${holder} held`);
  if (decided && (next.status === 'approved' || next.status === 'rejected')) {
    const why = invitation === undefined ? 'gone' : whyUndecidable(invitation, next, w.now);
    if (why !== undefined) w.problems.push(`${next.status} while the invitation was ${why}`);
  }
  if (decided && next.status === 'cancelled' && invitation && !whyUndecidable(invitation, next, w.now)) {
    w.problems.push('cancelled a ticket ops could still decide');
  }
  if (transition.effects.some((effect) => effect.kind === 'email_ops')) {
    if (ticket && (ticket.status !== 'open' || ticket.notifiedAt !== undefined)) w.problems.push(`emailed ops about a ${ticket.status} ticket, notified ${ticket.notifiedAt}`);
    if (w.inFlight.some((other) => Date.parse(other.notifyLeaseUntil!) > w.now.getTime())) w.problems.push('two senders hold the email lease at once');
    w.inFlight.push(next);
  }
};

const run = async (w: World, a: Act): Promise<void> => {
  if (a.kind === 'tick') {
    w.now = new Date(w.now.getTime() + a.minutes * 60_000);
    return;
  }
  if (a.kind === 'emailed' || a.kind === 'emailFailed') {
    const [leased] = w.inFlight.splice(a.pending % Math.max(1, w.inFlight.length), 1);
    const transition = leased && (a.kind === 'emailed' ? markNotified(leased, w.now) : releaseNotification(leased));
    if (transition) await commit(w, transition, false);
    return;
  }
  const read = readAt(w, a.stale);
  if (a.kind === 'deliver') {
    const { transition } = raise(w.request, read, w.now, leaseMs);
    if (transition) await commit(w, transition, a.stale === 0);
    return;
  }
  if (a.kind === 'revoke' || a.kind === 'resend') {
    if (!read.invitation) return;
    const decided = a.kind === 'revoke' ? revoke(read.invitation, 'advisor-2', w.now) : resend(read.invitation, { token: newToken(), expiresInDays: 7 }, w.now);
    await w.memory.store.apply(decided.change);
    return;
  }
  if (!read.ticket) return;
  if (a.kind === 'claim' || a.kind === 'release') {
    const step = () => (a.kind === 'claim' ? claim : release)(read.ticket!, a.by, w.now);
    if (a.kind === 'claim' && a.by === requester) expect(step).toThrow(/you raised this ticket/i);
    const transition = step();
    if (transition) await commit(w, transition, a.stale === 0);
    return;
  }
  const command = { by: a.by, at: w.now };
  const decide = () =>
    a.verb === 'approve'
      ? approve(read.ticket!, read.invitation, { ...command, evidence: { method: 'phone' }, link: { token: newToken(), expiresInDays: 7 } })
      : reject(read.ticket!, read.invitation, { ...command, reason: 'no' });
  if (a.by === requester) expect(() => decide()).toThrow(/you raised this ticket/i);
  await commit(w, decide(), a.stale === 0);
};

/**
 * What the history says of who held the ticket, replayed: in time order, one claim at a time (each claim released,
 * or the ticket closed, before the next), released only by its holder, decided only by its holder if it had one;
 * and the ticket's assignee is who the history says held it last.
 */
const assignmentViolations = (ticket: Ticket): string[] => {
  const found: string[] = [];
  let holder: { by: string; at: string } | undefined;
  let previous = '';
  for (const event of ticket.history ?? []) {
    if (event.at < previous) found.push(`${event.action} at ${event.at} after ${previous}`);
    previous = event.at;
    if (event.action === 'claimed' && holder !== undefined) found.push(`${event.by} claimed while ${holder.by} held it`);
    if (event.action === 'released' && holder?.by !== event.by) found.push(`${event.by} released while ${holder?.by} held it`);
    if (event.action === 'decided' && holder !== undefined && holder.by !== event.by) found.push(`${event.by} decided while ${holder.by} held it`);
    if (event.action === 'claimed') holder = event;
    if (event.action === 'released') holder = undefined;
  }
  if (ticket.assignee !== holder?.by || ticket.assignedAt !== holder?.at) found.push(`assignee ${ticket.assignee} but the history says ${holder?.by}`);
  if ((ticket.status === 'approved' || ticket.status === 'rejected') && ticket.assignee !== undefined && ticket.decidedBy !== ticket.assignee) {
    found.push(`decided by ${ticket.decidedBy}, assigned to ${ticket.assignee}`);
  }
  return found;
};

/** Every forbidden state, named. */
const violations = (w: World): string[] => {
  const found = [...w.problems];
  const { ticket, invitation } = current(w);
  if (!ticket) return found;
  const history = ticket.history ?? [];
  const closing = history.filter((event) => event.action === 'decided' || event.action === 'cancelled');
  if (history[0]?.action !== 'raised') found.push('history does not start with raised');
  if (closing.length > 1) found.push(`closed ${closing.length} times`);
  if ((ticket.status === 'open') !== (closing.length === 0)) found.push(`${ticket.status} with ${closing.length} closing events`);
  if (closing.length === 1 && (history.at(-1) !== closing[0] || closing[0]!.by !== ticket.decidedBy || closing[0]!.at !== ticket.decidedAt)) {
    found.push('the closing event is not the last, or not who and when the ticket says');
  }
  if ((ticket.status === 'approved' || ticket.status === 'rejected') && ticket.decidedBy === ticket.requestedBy) found.push('decided by its requester');
  found.push(...assignmentViolations(ticket));
  const verification = invitation?.verification.status;
  if ((ticket.status === 'approved') !== (verification === 'verified')) found.push(`ticket ${ticket.status} but verification ${verification}`);
  if ((ticket.status === 'rejected') !== (verification === 'rejected')) found.push(`ticket ${ticket.status} but verification ${verification}`);
  if (ticket.status === 'open' && ticket.notifiedAt === undefined && !w.memory.ticketRequests.has(ticket.ticketId)) found.push('ops not emailed yet the request is not owed');
  const closedAs = ticket.status === 'open' ? undefined : JSON.stringify([ticket.status, ticket.decidedAt, ticket.decidedBy, ticket.note]);
  if (w.closedAs !== undefined && closedAs !== w.closedAs) found.push(`decided again: ${w.closedAs} became ${closedAs}`);
  w.closedAs ??= closedAs;
  return found;
};

describe('the ticket lifecycle, under any sequence of transitions', () => {
  it('never reaches a forbidden state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(act, { minLength: 5, maxLength: 40, size: 'max' }), async (acts) => {
        const w = await world();
        for (const a of acts) {
          try {
            await run(w, a);
          } catch (error) {
            // A refusal is the decider doing its job; anything else is a bug.
            if (!(error instanceof AppError)) throw error;
          }
          w.reads.push(current(w));
          expect(violations(w)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
