// A link's one reminder, and what the expiry schedule does with an entry that comes due. Each link is filed in the
// schedule under the next thing due for it: its reminder time while one is planned, then (once reminded, or once a
// reminder turns out not to be owed) its expiry (lib/adapters/dynamodb/expiring.ts), so one Query a minute serves
// both. Moving the entry from its reminder time to its expiry is what marks the link reminded, before the email
// goes: two sweeper runs never both send, and a run that dies between the two loses the reminder rather than
// sending it twice.
import { statusOf, type Invitation } from './invitation.ts';

const day = 24 * 60 * 60 * 1000;

/**
 * When a link issued at `issuedAt` and working until `expiresAt` reminds its client: `leadDays` before its expiry.
 * None with reminders off (0), and none for a link too short-lived for one: a reminder less than a day after the
 * email it recalls would only repeat it.
 */
export const reminderAt = (issuedAt: string, expiresAt: string, leadDays: number): string | undefined => {
  if (!(leadDays > 0)) return undefined;
  const at = Date.parse(expiresAt) - leadDays * day;
  return at - Date.parse(issuedAt) >= day ? new Date(at).toISOString() : undefined;
};

/**
 * A reminder only helps a client with something to do at the link: the email with it reached SES, and they can
 * verify with an account number or, verified, accept. A client waiting on ops (a prospect, a lock) or refused can't.
 */
export const reminderOwed = (invitation: Invitation, now: Date): boolean => {
  const { status } = invitation.verification;
  return statusOf(invitation, now) === 'sent' && invitation.delivery === 'sent' && (status === 'not_started' || status === 'verified');
};

/** A schedule entry as the sweeper reads it: the link, the time it is filed under, and the link's expiry. */
export interface ScheduleEntry {
  tokenHash: string;
  dueAt: string;
  expiresAt: string;
}

/**
 * What a due entry means for its invitation as read now: `unschedule` when it is no longer live on this link
 * (accepted; an ended or re-issued one took the entry with its link), `expire` once past expiry, `remind` or
 * `skip_reminder` (filed under its expiry with no email) at its reminder time, `not_due` when only clocks differ.
 */
export type ScheduledStep = 'unschedule' | 'expire' | 'remind' | 'skip_reminder' | 'not_due';

export const scheduledStep = (entry: ScheduleEntry, invitation: Invitation | undefined, now: Date): ScheduledStep => {
  if (invitation === undefined || invitation.tokenHash !== entry.tokenHash || invitation.state !== 'live') return 'unschedule';
  if (statusOf(invitation, now) === 'expired') return 'expire';
  if (Date.parse(entry.dueAt) >= Date.parse(entry.expiresAt)) return 'not_due';
  return reminderOwed(invitation, now) ? 'remind' : 'skip_reminder';
};
