import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { maxWrongAttempts, type Invitation } from '../../domain/invitation.ts';
import type { InvitationStore } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { ticketRequestPut } from './invitation-items.ts';
import { invitationKey } from './keys.ts';
import { table, transact } from './transact.ts';

// The account-number lockout's writes. `verification.wrongAttempts` counts compares reserved, the right one included.

const keyOf = (invitation: Invitation) => invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId);

/** The link still current, the invitation live and unexpired, nobody verified, locked or decided yet. */
const stillOpen = 'tokenHash = :tokenHash AND #state = :live AND expiresAt > :now AND verification.#status = :notStarted';

const openValues = (invitation: Invitation, now: string) => ({
  ':tokenHash': invitation.tokenHash,
  ':live': 'live',
  ':now': now,
  ':notStarted': 'not_started',
  ':max': maxWrongAttempts,
});

const names = { '#state': 'state', '#status': 'status' };

/** A single conditional update; false when its condition failed. */
const updateIf = async (invitation: Invitation, update: string, condition: string, values: Record<string, unknown>) => {
  try {
    return await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: keyOf(invitation),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

export const verificationAttempts: Pick<InvitationStore, 'reserveAttempt' | 'lockVerification' | 'markVerified'> = {
  async reserveAttempt(invitation, now) {
    // One atomic increment per compare, refused once five are spent: concurrent guesses each take their own number.
    const result = await updateIf(
      invitation,
      'SET verification.wrongAttempts = if_not_exists(verification.wrongAttempts, :zero) + :one, updatedAt = :now',
      `${stillOpen} AND (attribute_not_exists(verification.wrongAttempts) OR verification.wrongAttempts < :max)`,
      { ...openValues(invitation, now), ':zero': 0, ':one': 1 },
    );
    const attempts = (result?.Attributes?.verification as { wrongAttempts?: unknown } | undefined)?.wrongAttempts;
    return typeof attempts === 'number' ? attempts : undefined;
  },

  async lockVerification(invitation, now, lockTicket) {
    const outcome = await transact({
      invitation: {
        Update: {
          TableName: table(),
          Key: keyOf(invitation),
          UpdateExpression: 'SET verification.#status = :locked, verification.ticketId = :ticketId, updatedAt = :now',
          ConditionExpression: `${stillOpen} AND verification.wrongAttempts >= :max`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...openValues(invitation, now), ':locked': 'locked', ':ticketId': lockTicket.ticketId },
        },
      },
      ticketRequest: ticketRequestPut(lockTicket, now),
    });
    return outcome.ok;
  },

  async markVerified(invitation, now) {
    const result = await updateIf(
      invitation,
      'SET verification.#status = :verified, verifiedAt = :now, updatedAt = :now',
      `${stillOpen} AND verification.wrongAttempts <= :max`,
      { ...openValues(invitation, now), ':verified': 'verified' },
    );
    return result !== undefined;
  },
};
