// Who may sign in to the client portal, and to what: accepting an invitation grants its client access to that
// household's portal, filed under the client's email so a sign-in by email finds it with one Query, no Scan.
import { createHash } from 'node:crypto';
import type { SessionStore, StoredSession } from '../sessions/server-session.ts';
import type { Invitation } from './invitation.ts';

/** A client as the portal knows them: by their email, whose hash keys their accesses. */
export interface PortalClient {
  /** SHA-256 of the lower-cased email (clientKeyOf). */
  clientKey: string;
  email: string;
}

/** One household's portal opened to a client, as their accepted invitation granted it. */
export interface PortalAccess {
  clientKey: string;
  email: string;
  firstName: string;
  firmId: string;
  firmName?: string | undefined;
  householdId: string;
  householdName: string;
  invitationId: string;
  grantedAt: string;
}

export interface PortalAccessStore {
  /** Every household the client may see, strongly consistent: an access granted a moment ago is there. */
  accessesOf(clientKey: string): Promise<PortalAccess[]>;
}

/**
 * Who a portal session or sign-in link is for: the client's key and nothing personal, since neither item can be found
 * by client to be deleted with a household. The email, where shown, is read from the client's accesses.
 */
export type PortalUser = Pick<PortalClient, 'clientKey'>;

/** A client's portal sessions (lib/sessions/server-session.ts): the session's user is the client, by key alone. */
export type PortalSessionStore = SessionStore<PortalUser>;
export type PortalSession = StoredSession<PortalUser>;

/** Addresses that differ only in case are one client, as the one-live-invitation lock already treats them. */
export const clientKeyOf = (email: string): string => createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');

export const clientOf = (email: string): PortalClient => ({ clientKey: clientKeyOf(email), email: email.trim() });

/** What accepting `invitation` grants: its household's portal, to its client. */
export const accessFrom = (invitation: Invitation, at: string): PortalAccess => ({
  ...clientOf(invitation.email),
  firstName: invitation.firstName,
  firmId: invitation.firmId,
  firmName: invitation.firmName,
  householdId: invitation.householdId,
  householdName: invitation.householdName,
  invitationId: invitation.invitationId,
  grantedAt: at,
});
