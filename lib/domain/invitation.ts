import type { InvitationStatus, TicketReason, TicketRequest, VerificationMethod, VerificationStatus } from '../schemas/invitations.ts';
import type { InvitationView, PortalInvitationView } from '../schemas/views.ts';
import type { Household } from './household.ts';

export const maxWrongAttempts = 5;
export const maxSendsPerDay = 5;
const day = 24 * 60 * 60 * 1000;

/** Where the invitation email stands: pending until SES has answered. */
export type Delivery = 'pending' | 'sent' | 'failed';

export interface Invitation {
  firmId: string;
  firmName?: string | undefined;
  householdId: string;
  householdName: string;
  invitationId: string;
  firstName: string;
  lastName: string;
  email: string;
  /**
   * Live until revoked, accepted, (once the expire transition ran) expired, or ended by SES reporting its email
   * bounced for good or marked as spam; a live one past its expiry is expired too.
   */
  state: 'live' | 'accepted' | 'revoked' | 'expired' | 'bounced' | 'complained';
  delivery: Delivery;
  verification: {
    method: VerificationMethod;
    status: VerificationStatus;
    ticketId?: string | undefined;
    wrongAttempts: number;
  };
  tokenHash: string;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  sentAt?: string | undefined;
  acceptedAt?: string | undefined;
  verifiedAt?: string | undefined;
  revokedAt?: string | undefined;
  expiredAt?: string | undefined;
  bouncedAt?: string | undefined;
  complainedAt?: string | undefined;
  /** The inviting advisor's email about the bounce or complaint that ended the invitation (invitation-delivery-events.ts). */
  deliveryNotice?: DeliveryNotice | undefined;
  /** When each email for this invitation went out, for the daily resend limit. */
  sends: string[];
  invitedBy: string;
  invitedByEmail?: string | undefined;
}

/**
 * Owed from the moment the invitation ends, sent under a lease so that two deliveries of one SES event never both
 * send it: `leaseUntil` is when the sender holding it gives up, `sentAt` when the advisor had it.
 */
export interface DeliveryNotice {
  about: 'bounced' | 'complained';
  leaseUntil: string;
  sentAt?: string | undefined;
}

export const isExpired = (invitation: Invitation, now: Date): boolean => Date.parse(invitation.expiresAt) <= now.getTime();

export const statusOf = (invitation: Invitation, now: Date): InvitationStatus => {
  if (invitation.state === 'revoked') return 'revoked';
  if (invitation.state === 'accepted') return 'accepted';
  if (invitation.state === 'bounced' || invitation.state === 'complained') return invitation.state;
  if (invitation.state === 'expired' || isExpired(invitation, now)) return 'expired';
  return invitation.delivery === 'failed' ? 'send_failed' : 'sent';
};

/** A link works while the invitation is live and unexpired; an accepted one still shows its "done" page. */
export const linkWorks = (invitation: Invitation, now: Date): boolean => {
  const status = statusOf(invitation, now);
  return status === 'sent' || status === 'send_failed' || status === 'accepted';
};

export const expiryFrom = (now: Date, days: number): string => new Date(now.getTime() + days * day).toISOString();

/** Prospects (no accounts) are verified by the ops team, on the ticket `ticketId`; clients verify with an account number. */
export const verificationFor = (household: Household, ticketId: string): Invitation['verification'] =>
  household.accounts.length > 0
    ? { method: 'account_number', status: 'not_started', wrongAttempts: 0 }
    : { method: 'manual', status: 'pending_review', ticketId, wrongAttempts: 0 };

export interface NewInvitationInput {
  household: Household;
  caller: { firmId: string; sub: string; email?: string | undefined; firmName?: string | undefined };
  client: { firstName: string; lastName: string; email: string };
  /** Fresh ids from the caller (the domain reads no clock, and UUIDv7 does): the invitation's and its prospect ticket's. */
  ids: { invitationId: string; ticketId: string };
  tokenHash: string;
  expiresInDays: number;
  now: Date;
}

export const newInvitation = (input: NewInvitationInput): Invitation => {
  const now = input.now.toISOString();
  return {
    firmId: input.caller.firmId,
    firmName: input.caller.firmName,
    householdId: input.household.householdId,
    householdName: input.household.name,
    invitationId: input.ids.invitationId,
    ...input.client,
    state: 'live',
    delivery: 'pending',
    verification: verificationFor(input.household, input.ids.ticketId),
    tokenHash: input.tokenHash,
    expiresAt: expiryFrom(input.now, input.expiresInDays),
    createdAt: now,
    updatedAt: now,
    sends: [now],
    invitedBy: input.caller.sub,
    invitedByEmail: input.caller.email,
  };
};

export const ticketRequestFor = (invitation: Invitation, reason: TicketReason, now: Date): TicketRequest => {
  const ticketId = invitation.verification.ticketId;
  if (ticketId === undefined) throw new Error('invitation has no ticket to request');
  return {
    version: 1,
    ticketId,
    reason,
    firmId: invitation.firmId,
    ...(invitation.firmName === undefined ? {} : { firmName: invitation.firmName }),
    householdId: invitation.householdId,
    householdName: invitation.householdName,
    invitationId: invitation.invitationId,
    client: { firstName: invitation.firstName, lastName: invitation.lastName, email: invitation.email },
    requestedBy: invitation.invitedBy,
    requestedAt: now.toISOString(),
  };
};

/** Sends in the last 24 hours, the initial one included. */
export const recentSends = (invitation: Invitation, now: Date): string[] =>
  invitation.sends.filter((sentAt) => now.getTime() - Date.parse(sentAt) < day);

export const invitationView = (invitation: Invitation, now: Date): InvitationView => ({
  invitationId: invitation.invitationId,
  householdId: invitation.householdId,
  firstName: invitation.firstName,
  lastName: invitation.lastName,
  email: invitation.email,
  status: statusOf(invitation, now),
  verification: {
    method: invitation.verification.method,
    status: invitation.verification.status,
    ...(invitation.verification.ticketId === undefined ? {} : { ticketId: invitation.verification.ticketId }),
  },
  expiresAt: invitation.expiresAt,
  createdAt: invitation.createdAt,
  ...(invitation.sentAt === undefined ? {} : { sentAt: invitation.sentAt }),
  ...(invitation.acceptedAt === undefined ? {} : { acceptedAt: invitation.acceptedAt }),
  ...(invitation.bouncedAt === undefined ? {} : { bouncedAt: invitation.bouncedAt }),
  ...(invitation.complainedAt === undefined ? {} : { complainedAt: invitation.complainedAt }),
});

export const portalView = (invitation: Invitation, now: Date): PortalInvitationView => ({
  firstName: invitation.firstName,
  status: statusOf(invitation, now),
  verification: { method: invitation.verification.method, status: invitation.verification.status },
  expiresAt: invitation.expiresAt,
});
