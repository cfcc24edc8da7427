import type { Invitation } from '../../domain/invitation.ts';
import type { InvitationKey } from '../../domain/invitation-change.ts';
import { reminderAt } from '../../domain/invitation-reminders.ts';
import { queueableTicketRequest, type TicketRequest } from '../../schemas/invitations.ts';
import { ttlAttribute } from '../../../infra/table-design.ts';
import * as config from '../../config.ts';
import { expiringPartition, invitationKey, liveInvitationLockKey, outboxPartition, outboxSortKey, ticketRequestKey, tokenKey } from './keys.ts';
import { table, type TransactItem } from './transact.ts';

// How invitations and the items around them are laid out in the table.

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const thirtyDays = 30 * 24 * 60 * 60;

export const dueAfterGrace = (now: string) => new Date(Date.parse(now) + config.outboxGraceMs()).toISOString();

/** The outbox index entry that stays on an invitation until SES has answered for its email. */
export const deliveryOutbox = (invitation: Pick<InvitationKey, 'invitationId'>, now: string) => ({
  gsi3pk: outboxPartition,
  gsi3sk: outboxSortKey(dueAfterGrace(now), 'EMAIL', invitation.invitationId),
});

/** What removing an invitation's email from the outbox removes: its index entry and the sweeper's count of tries. */
export const deliveryOutboxAttributes = ['gsi3pk', 'gsi3sk', 'outboxAttempts', 'outboxAttemptsKey'];

export const invitationItem = (invitation: Invitation) => ({
  ...invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId),
  entity: 'invitation',
  ...invitation,
});

export const fromInvitationItem = (item: Record<string, unknown>): Invitation => {
  const { pk: _pk, sk: _sk, entity: _entity, gsi3pk: _a, gsi3sk: _b, ...invitation } = item;
  return invitation as unknown as Invitation;
};

/** The next thing due for a link issued at `issuedAt`: its one reminder when it gets one (domain invitation-reminders.ts), else its expiry. */
const firstDue = (expiresAt: string, issuedAt: string | undefined): string =>
  (issuedAt === undefined ? undefined : reminderAt(issuedAt, expiresAt, config.reminderDaysBefore())) ?? expiresAt;

/** A link, filed in the expiry schedule under the next thing due for it; without `issuedAt`, under its expiry alone. */
export const tokenPut = (invitation: InvitationKey, tokenHash: string, expiresAt: string, issuedAt?: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: {
      ...tokenKey(tokenHash),
      entity: 'token',
      firmId: invitation.firmId,
      householdId: invitation.householdId,
      invitationId: invitation.invitationId,
      // The expiry schedule: the sweeper reminds the client, then ends the invitation once this is past
      // (lib/use-cases/expire-invitations.ts).
      expiresAt,
      gsi3pk: expiringPartition,
      gsi3sk: outboxSortKey(firstDue(expiresAt, issuedAt), invitation.invitationId),
      // Kept a while past expiry so an accepted client still sees their "done" page.
      [ttlAttribute]: epochSeconds(expiresAt) + thirtyDays,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** Kills the invitation's current link and makes `tokenHash` its link: the old hash's pointer goes, the new one is put. */
export const linkSwap = (invitation: InvitationKey & Pick<Invitation, 'tokenHash'>, tokenHash: string, expiresAt: string): { oldLink: TransactItem; newLink: TransactItem } => ({
  oldLink: tokenDelete(invitation.tokenHash),
  newLink: tokenPut(invitation, tokenHash, expiresAt),
});

export const lockPut = (invitation: InvitationKey & Pick<Invitation, 'email'>, expiresAt: string, now: string): TransactItem => ({
  Put: {
    TableName: table(),
    Item: {
      ...liveInvitationLockKey(invitation.firmId, invitation.householdId, invitation.email),
      entity: 'live-invitation-lock',
      invitationId: invitation.invitationId,
      expiresAt,
    },
    // Free, expired, or already ours: an expired invitation no longer blocks a new one.
    ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR invitationId = :invitationId',
    ExpressionAttributeValues: { ':now': now, ':invitationId': invitation.invitationId },
  },
});

/** Frees the lock, if this invitation holds it. */
export const lockDelete = (invitation: InvitationKey & Pick<Invitation, 'email'>): TransactItem => ({
  Delete: {
    TableName: table(),
    Key: liveInvitationLockKey(invitation.firmId, invitation.householdId, invitation.email),
    ConditionExpression: 'invitationId = :invitationId',
    ExpressionAttributeValues: { ':invitationId': invitation.invitationId },
  },
});

export const tokenDelete = (tokenHash: string): TransactItem => ({ Delete: { TableName: table(), Key: tokenKey(tokenHash) } });

export const ticketRequestDelete = (invitation: InvitationKey, ticketId: string): TransactItem => ({
  Delete: { TableName: table(), Key: ticketRequestKey(invitation.firmId, invitation.householdId, ticketId) },
});

/** Checked with the ops function's own schema first: a request it would refuse is a 400 and nothing is written. */
export const ticketRequestPut = (unchecked: TicketRequest, now: string): TransactItem => {
  const request = queueableTicketRequest(unchecked);
  return {
    Put: {
      TableName: table(),
      Item: {
        ...ticketRequestKey(request.firmId, request.householdId, request.ticketId),
        entity: 'ticket-request',
        request,
        gsi3pk: outboxPartition,
        gsi3sk: outboxSortKey(dueAfterGrace(now), 'TICKET', request.ticketId),
      },
    },
  };
};
