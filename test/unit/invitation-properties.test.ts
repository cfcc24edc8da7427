// Property: whatever advisors, clients, the sweeper and the clock do, in any order and on copies read at any earlier
// moment, the deciders and the store's conditions never let an invitation reach a forbidden state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/domain/errors.ts';
import { newId } from '../../lib/domain/ids.ts';
import { maxSendsPerDay, maxWrongAttempts, statusOf, type Invitation } from '../../lib/domain/invitation.ts';
import type { InvitationTransition } from '../../lib/domain/invitation-change.ts';
import { accept, emailUnanswered, expire, recordDelivery, resend, revoke, takeOverDelivery } from '../../lib/domain/invitation-lifecycle.ts';
import { reserveAttempt, verify, wrongNumber } from '../../lib/domain/invitation-verification.ts';
import { newToken } from '../../lib/domain/token.ts';
import { sent, start } from '../support/memory/fixtures.ts';
import { memoryInvitations } from '../support/memory/invitations.ts';

type Act =
  | { kind: 'invite'; email: number; prospect: boolean }
  | { kind: 'resend' | 'takeOver' | 'revoke' | 'accept' | 'expire' | 'unanswered' | 'reserve'; target: number; stale: number }
  | { kind: 'record'; target: number; stale: number; outcome: 'sent' | 'failed' }
  | { kind: 'compare'; pending: number; right: boolean }
  | { kind: 'tick'; minutes: number };

// Mostly the copy just read; now and then one read a few steps ago, as a request that was slow to write.
const target = { target: fc.nat(2), stale: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.nat(4), weight: 1 }) };
const act: fc.Arbitrary<Act> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('invite' as const), email: fc.nat(1), prospect: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('resend' as const), ...target }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constantFrom('takeOver', 'revoke', 'accept', 'expire', 'unanswered' as const), ...target }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('reserve' as const), ...target }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('record' as const), ...target, outcome: fc.constantFrom('sent' as const, 'failed' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('compare' as const), pending: fc.nat(2), right: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.constantFrom(1, 60, 6 * 60, 3 * 24 * 60, 8 * 24 * 60) }), weight: 1 },
);

const final = (invitation: Invitation) => invitation.state !== 'live';
/** What a finished invitation must keep; delivery bookkeeping of an email sent before the end may still land. */
const settled = ({ state, verification, tokenHash, expiresAt, acceptedAt, revokedAt, expiredAt, sends }: Invitation) =>
  JSON.stringify({ state, verification, tokenHash, expiresAt, acceptedAt, revokedAt, expiredAt, sends });

/** One run: the store, the copies each invitation was read as over time, and what the model saw commit. */
const world = () => {
  const memory = memoryInvitations();
  return {
    memory,
    now: start,
    ids: [] as string[],
    reads: new Map<string, Invitation[]>(),
    pending: [] as { copy: Invitation; attempt: number }[],
    reservations: new Map<string, number>(),
    emailsAt: new Map<string, number[]>(),
    finished: new Map<string, string>(),
    everLocked: new Set<string>(),
  };
};
type World = ReturnType<typeof world>;

const stored = (w: World, id: string) => structuredClone([...w.memory.invitations.values()].find((i) => i.invitationId === id)!);

/** A copy of the invitation as read now or at some earlier moment: the state a slow request decides on. */
const copyOf = (w: World, act: { target: number; stale: number }): Invitation | undefined => {
  const id = w.ids[act.target % Math.max(1, w.ids.length)];
  const reads = id === undefined ? [] : w.reads.get(id)!;
  return reads[Math.max(0, reads.length - 1 - act.stale)];
};

const commit = async (w: World, transition: InvitationTransition) => {
  const outcome = await w.memory.store.apply(transition.change);
  // A new email (a resend) adds to the day's sends; taking over the one nobody sent does not.
  if (outcome.ok && 'set' in transition.change.write && transition.change.write.set.sends !== undefined) {
    w.emailsAt.set(transition.next.invitationId, [...(w.emailsAt.get(transition.next.invitationId) ?? []), w.now.getTime()]);
  }
  return outcome;
};

const run = async (w: World, a: Act): Promise<void> => {
  if (a.kind === 'tick') {
    w.now = new Date(w.now.getTime() + a.minutes * 60_000);
    return;
  }
  if (a.kind === 'invite') {
    const { change, next } = sent({ prospect: a.prospect, email: `client${a.email}@example.com`, now: w.now });
    await w.memory.store.create(change);
    w.ids.push(next.invitationId);
    w.emailsAt.set(next.invitationId, [w.now.getTime()]);
    return;
  }
  if (a.kind === 'compare') {
    const [reserved] = w.pending.splice(a.pending % Math.max(1, w.pending.length), 1);
    if (!reserved) return;
    if (a.right) return void (await commit(w, verify(reserved.copy, reserved.attempt, w.now)));
    const wrong = wrongNumber(reserved.copy, reserved.attempt, newId(), w.now);
    if ('locks' in wrong) await commit(w, wrong.locks);
    return;
  }
  const copy = copyOf(w, a);
  if (!copy) return;
  if (a.kind === 'unanswered') {
    const slot = w.memory.emailsOwed.get(`${copy.firmId}#${copy.householdId}#${copy.invitationId}`);
    if (slot) await w.memory.store.apply(emailUnanswered({ ...copy, sortKey: slot }, w.now));
    return;
  }
  if (a.kind === 'reserve') {
    const outcome = await commit(w, reserveAttempt(copy, w.now));
    if (!outcome.ok) return;
    w.reservations.set(copy.invitationId, (w.reservations.get(copy.invitationId) ?? 0) + 1);
    w.pending.push({ copy, attempt: outcome.wrongAttempts! });
    return;
  }
  const decide: Record<typeof a.kind, () => InvitationTransition> = {
    resend: () => resend(copy, { token: newToken(), expiresInDays: 7 }, w.now),
    takeOver: () => takeOverDelivery(copy, newToken(), w.now),
    revoke: () => revoke(copy, 'advisor-2', w.now),
    accept: () => accept(copy, w.now),
    expire: () => expire(copy, w.now),
    record: () => recordDelivery(copy, a.kind === 'record' ? a.outcome : 'sent', w.now),
  };
  await commit(w, decide[a.kind]());
};

/** Every forbidden state, named. */
const violations = (w: World): string[] => {
  const found: string[] = [];
  const { invitations, locks, links, ticketRequests, tickets } = w.memory;
  for (const invitation of invitations.values()) {
    const { invitationId: id, verification } = invitation;
    const live = statusOf(invitation, w.now) === 'sent' || statusOf(invitation, w.now) === 'send_failed';
    if (verification.wrongAttempts > maxWrongAttempts) found.push(`${id}: ${verification.wrongAttempts} attempts counted`);
    if ((w.reservations.get(id) ?? 0) > maxWrongAttempts) found.push(`${id}: more than ${maxWrongAttempts} attempts reserved`);
    if (verification.method === 'account_number' && verification.status === 'verified' && verification.wrongAttempts < 1) {
      found.push(`${id}: verified without a reserved attempt`);
    }
    if (verification.status === 'locked') w.everLocked.add(id);
    if (w.everLocked.has(id) && verification.status === 'verified') found.push(`${id}: verified after the lock`);
    if (invitation.state === 'accepted' && verification.status !== 'verified') found.push(`${id}: accepted without being verified`);
    const before = w.finished.get(id);
    if (before !== undefined && before !== settled(invitation)) found.push(`${id}: changed after it was ${JSON.parse(before).state}`);
    if (final(invitation) && before === undefined) w.finished.set(id, settled(invitation));
    const times = w.emailsAt.get(id) ?? [];
    if (times.some((t) => times.filter((other) => other <= t && t - other < 24 * 3_600_000).length > maxSendsPerDay)) {
      found.push(`${id}: more than ${maxSendsPerDay} emails in 24 hours`);
    }
    const ticketId = verification.ticketId;
    const waiting = verification.status === 'locked' || verification.status === 'pending_review';
    if (live && waiting && !ticketRequests.has(ticketId!)) found.push(`${id}: waits for ops but its ticket request is not owed`);
    if ((invitation.state === 'revoked' || invitation.state === 'expired') && waiting) {
      if (ticketRequests.has(ticketId!) || tickets.get(ticketId!)?.status !== 'cancelled') found.push(`${id}: ended with its ticket still open`);
    }
    if (invitation.state !== 'accepted' && final(invitation) && links.has(invitation.tokenHash)) found.push(`${id}: ended with a working link`);
  }
  for (const [hash, key] of links) {
    if (stored(w, key.invitationId).tokenHash !== hash) found.push(`${key.invitationId}: an old link still points at it`);
  }
  for (const [email, holder] of locks) {
    if (final(stored(w, holder.invitationId))) found.push(`lock ${email} held by the ${stored(w, holder.invitationId).state} ${holder.invitationId}`);
  }
  const liveByEmail = new Map<string, number>();
  for (const invitation of invitations.values()) {
    const status = statusOf(invitation, w.now);
    const email = `${invitation.householdId} ${invitation.email}`;
    if (status === 'sent' || status === 'send_failed') liveByEmail.set(email, (liveByEmail.get(email) ?? 0) + 1);
  }
  for (const [email, count] of liveByEmail) if (count > 1) found.push(`${count} live invitations for ${email}`);
  return found;
};

describe('the invitation lifecycle, under any sequence of transitions', () => {
  it('never reaches a forbidden state', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(act, { minLength: 10, maxLength: 80, size: 'max' }), async (acts) => {
        const w = world();
        for (const a of acts) {
          try {
            await run(w, a);
          } catch (error) {
            // A refusal is the decider doing its job; anything else is a bug.
            if (!(error instanceof AppError)) throw error;
          }
          for (const id of w.ids) w.reads.set(id, [...(w.reads.get(id) ?? []), stored(w, id)]);
          expect(violations(w)).toEqual([]);
        }
      }),
      { numRuns: 400 },
    );
  });
});
