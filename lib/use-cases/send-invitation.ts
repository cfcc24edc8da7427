import { recorded, staffActor, type Actor } from '../domain/audit.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { invitationView, type Invitation } from '../domain/invitation.ts';
import type { InvitationTransition } from '../domain/invitation-change.ts';
import { awaitsDelivery, send, takeOverDelivery } from '../domain/invitation-lifecycle.ts';
import type { Caller, HouseholdStore, InvitationStore, RequestMarker, TicketQueue } from '../domain/ports.ts';
import { newToken } from '../domain/token.ts';
import type { CreateInvitationInput } from '../schemas/invitations.ts';
import type { InvitationView } from '../schemas/views.ts';
import { deliverInvitationEmail, type DeliveryDeps } from './deliver-invitation-email.ts';
import { queueTicketRequests } from './perform-effects.ts';
import { announce, type Announcing } from './publish-events.ts';

export interface SendInvitationDeps extends DeliveryDeps, Announcing {
  invitations: Pick<InvitationStore, 'create' | 'get' | 'apply'>;
  households: Pick<HouseholdStore, 'get'>;
  ticketQueue: TicketQueue;
  expiryDays: () => number;
}

const unsent = (invitationId: string) =>
  new AppError('email_send_failed', 'The invitation was saved but its email could not be sent; resend it', [
    { message: 'resend with POST .../invitations/{invitationId}/resend', invitationId },
  ]);

/** Emails the link and queues the prospect's ticket request (the sweeper re-queues it if this fails), side by side. */
const deliver = async (deps: SendInvitationDeps, sent: InvitationTransition, now: Date, by: Actor): Promise<InvitationView> => {
  const email = sent.effects.find((effect) => effect.kind === 'email_invitation');
  if (!email) throw new Error('an invitation is sent with its email');
  const [delivery] = await Promise.allSettled([
    deliverInvitationEmail(deps, email.invitation, email.token, email.template, by),
    queueTicketRequests(deps.ticketQueue, sent.effects),
  ]);
  if (delivery.status === 'rejected') throw delivery.reason;
  if (!delivery.value.sent) throw unsent(sent.next.invitationId);
  return invitationView(delivery.value.invitation, now);
};

/**
 * A retry whose first attempt saved `saved` and lost the answer. What to answer follows its email:
 * - sent: answered as stored; nothing more is sent.
 * - failed (SES refused, or the sweeper gave up on it): 502, as the first attempt answered or would have.
 * - pending: nobody sent it. The first attempt stops at its failed write, and one that reached SES keeps
 *   trying to record that (deliverInvitationEmail), so pending means unsent unless that attempt died or gave
 *   up in between. This request sends it (returning it unsent would answer 201 for an email that never goes
 *   out), with a new link since only the first link's hash was kept; the link swap is conditional on the
 *   email still pending and the link unchanged, so of all retries (and the sweeper) one wins and one email goes out.
 */
const finishEarlierAttempt = async (deps: SendInvitationDeps, saved: Invitation, now: Date, by: Actor): Promise<InvitationView> => {
  if (awaitsDelivery(saved, now)) {
    // The same send, its email on a new link: the trail has it as sent already.
    const takeOver = takeOverDelivery(saved, newToken(), now);
    if ((await deps.invitations.apply(takeOver.change)).ok) return deliver(deps, takeOver, now, by);
  }
  const current = saved.delivery === 'pending' ? await deps.invitations.get(saved.firmId, saved.householdId, saved.invitationId) : saved;
  if (!current || current.delivery === 'failed') throw unsent(saved.invitationId);
  return invitationView(current, now);
};

/**
 * An advisor invites a household member. For a household without accounts the same write records a
 * verification-bypass ticket request, which is queued now and re-queued by the sweeper if this send fails.
 */
export const sendInvitation = async (
  deps: SendInvitationDeps,
  caller: Caller,
  householdId: string,
  input: CreateInvitationInput,
  marker?: RequestMarker,
): Promise<InvitationView> => {
  const household = await deps.households.get(caller.firmId, householdId);
  if (!household) throw notFound('household');
  const now = deps.now();
  const sent = send({
    household,
    caller,
    client: { firstName: input.firstName, lastName: input.lastName, email: input.email },
    ids: { invitationId: newId(), ticketId: newId() },
    token: newToken(),
    expiresInDays: input.expiresInDays ?? deps.expiryDays(),
    now,
  });
  // A write can succeed and its answer still be lost; the marker lets the retry find that invitation. The claim
  // behind it is only ever retaken by the same request (same route, path and body), so what it saved is the answer.
  const by = staffActor(caller, 'advisor');
  const change = recorded(sent.change, by, deps.requestId);
  const saved = await deps.invitations.create(change, marker);
  if (saved.invitationId === sent.next.invitationId) {
    await announce(deps, change.events);
    return deliver(deps, sent, now, by);
  }
  return finishEarlierAttempt(deps, saved, now, by);
};
