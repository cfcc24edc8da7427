import { AppError, conflict } from '../../domain/errors.ts';
import { recentSends, ticketRequestFor, type Invitation } from '../../domain/invitation.ts';
import type { InvitationStore } from '../../domain/ports.ts';
import { ticketFrom } from '../../domain/ticket.ts';
import { deliveryOutbox, linkSwap, lockPut } from './invitation-items.ts';
import { invitationKey, liveInvitationLockKey, ticketRequestKey, tokenKey } from './keys.ts';
import { ticketUpsert } from './ticket-items.ts';
import { verificationAttempts } from './verification-attempts.ts';
import { table, transact, type NamedItems, type TransactItem } from './transact.ts';

const keyOf = (invitation: Invitation) => invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId);

const changed = () => conflict('The invitation changed meanwhile; read it again and retry');

const lockDelete = (invitation: Invitation): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: liveInvitationLockKey(invitation.firmId, invitation.householdId, invitation.email),
    ConditionExpression: 'invitationId = :invitationId',
    ExpressionAttributeValues: { ':invitationId': invitation.invitationId },
  },
});

/**
 * Runs a transaction whose `invitation` item must succeed and whose `optional` items may be dropped when their
 * condition fails (a lock another invitation now holds, a ticket already decided).
 */
const transactWithOptional = async (invitation: TransactItem, optional: NamedItems, always: NamedItems = {}) => {
  let extras = optional;
  for (let round = 0; round <= Object.keys(optional).length; round += 1) {
    const outcome = await transact<string>({ ...always, ...extras, invitation });
    if (outcome.ok) return;
    if (outcome.failed.has('invitation')) throw changed();
    extras = Object.fromEntries(Object.entries(extras).filter(([name]) => !outcome.failed.has(name)));
  }
  throw changed();
};

export const invitationChanges: Pick<
  InvitationStore,
  'replaceToken' | 'revoke' | 'reserveAttempt' | 'lockVerification' | 'markVerified' | 'accept'
> = {
  ...verificationAttempts,

  async replaceToken(invitation, token, now) {
    const nowDate = new Date(now);
    const next: Invitation = {
      ...invitation,
      tokenHash: token.hash,
      expiresAt: token.expiresAt,
      delivery: 'pending',
      sends: [...recentSends(invitation, nowDate), now],
      updatedAt: now,
    };
    const outbox = deliveryOutbox(invitation, now);
    const outcome = await transact({
      invitation: {
        Update: {
          TableName: table(),
          Key: keyOf(invitation),
          UpdateExpression:
            'SET tokenHash = :hash, expiresAt = :expiresAt, delivery = :pending, sends = :sends, updatedAt = :now, gsi3pk = :outboxPk, gsi3sk = :outboxSk',
          ConditionExpression: 'tokenHash = :oldHash AND #state = :live',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':hash': token.hash,
            ':expiresAt': token.expiresAt,
            ':pending': 'pending',
            ':sends': next.sends,
            ':now': now,
            ':outboxPk': outbox.gsi3pk,
            ':outboxSk': outbox.gsi3sk,
            ':oldHash': invitation.tokenHash,
            ':live': 'live',
          },
        },
      },
      ...linkSwap(invitation, token.hash, token.expiresAt),
      lock: lockPut(invitation, token.expiresAt, now),
    });
    if (!outcome.ok) {
      if (outcome.failed.has('lock') && !outcome.failed.has('invitation')) {
        throw conflict('Another live invitation exists for that email in this household');
      }
      throw changed();
    }
    return next;
  },

  async revoke(invitation, now, by) {
    const required: TransactItem = {
      Update: {
        TableName: table(),
        Key: keyOf(invitation),
        UpdateExpression: 'SET #state = :revoked, revokedAt = :now, updatedAt = :now REMOVE gsi3pk, gsi3sk',
        // Built from what was read: a lock (and its ticket) or a decision since then fails this, and the caller reads again.
        ConditionExpression: '#state = :live AND tokenHash = :tokenHash AND verification.#status = :seenStatus',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
        ExpressionAttributeValues: {
          ':revoked': 'revoked',
          ':now': now,
          ':live': 'live',
          ':tokenHash': invitation.tokenHash,
          ':seenStatus': invitation.verification.status,
        },
      },
    };
    const always: NamedItems = { link: { Delete: { TableName: table(), Key: tokenKey(invitation.tokenHash) } } };
    const optional: NamedItems = { lock: lockDelete(invitation) };
    const { ticketId, status } = invitation.verification;
    if (ticketId !== undefined && (status === 'pending_review' || status === 'locked')) {
      always.ticketRequest = { Delete: { TableName: table(), Key: ticketRequestKey(invitation.firmId, invitation.householdId, ticketId) } };
      const reason = status === 'locked' ? 'verification_locked' : 'no_account';
      const cancelled = {
        ...ticketFrom(ticketRequestFor(invitation, reason, new Date(now)), 'cancelled', now),
        decidedAt: now,
        decidedBy: by,
        note: 'invitation revoked',
      };
      optional.ticket = ticketUpsert(cancelled);
    }
    await transactWithOptional(required, optional, always);
    return { ...invitation, state: 'revoked', updatedAt: now };
  },

  async accept(invitation, now) {
    if (invitation.verification.status !== 'verified') throw new AppError('conflict', 'Verify your identity first');
    await transactWithOptional(
      {
        Update: {
          TableName: table(),
          Key: keyOf(invitation),
          UpdateExpression: 'SET #state = :accepted, acceptedAt = :now, updatedAt = :now',
          ConditionExpression: 'tokenHash = :tokenHash AND #state = :live AND verification.#status = :verified AND expiresAt > :now',
          ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
          ExpressionAttributeValues: {
            ':accepted': 'accepted',
            ':now': now,
            ':tokenHash': invitation.tokenHash,
            ':live': 'live',
            ':verified': 'verified',
          },
        },
      },
      { lock: lockDelete(invitation) },
    );
    return { ...invitation, state: 'accepted', acceptedAt: now, updatedAt: now };
  },
};
