// Deployment settings come from CDK context (cdk.json, or `-c name=value`), checked once before any construct exists.
import type { App } from 'aws-cdk-lib';
import { defaultDocumentRetentionDays } from '../../lib/config.ts';

export { defaultDocumentRetentionDays };

export interface PortalSettings {
  /** The From address of every email. */
  senderEmail: string;
  /** Verified SES identity that owns senderEmail: the address itself, or its domain. */
  sesIdentity: string;
  /** The ops inbox: ticket notifications and alarms. */
  opsEmail: string;
  /** Public base URL of the invite links (`PORTAL_URL/invite/{token}`): this API's domain. */
  portalUrl: string;
  /** Days an invitation link stays valid (the SPEC allows 1-30). */
  inviteExpiryDays: number;
  /** Days before a link's expiry its client is reminded, once (0-29, default 2; 0: no reminders). */
  reminderDaysBefore: number;
  /** The ops desk's SLA: hours a ticket may stay open before the alarm tells the ops inbox (1-168, default 4). */
  ticketSlaHours: number;
  /** Days a client's uploaded document is kept before S3 deletes it (1-3650, default 365). */
  documentRetentionDays: number;
}

export const defaultTicketSlaHours = 4;
export const defaultReminderDaysBefore = 2;

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const text = (app: App, name: string): string => {
  const value: unknown = app.node.tryGetContext(name);
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`context ${name} is not set (see cdk.json)`);
  return String(value).trim();
};

export const readSettings = (app: App): PortalSettings => {
  const senderEmail = text(app, 'senderEmail');
  const opsEmail = text(app, 'opsEmail');
  for (const [name, value] of [['senderEmail', senderEmail], ['opsEmail', opsEmail]] as const) {
    if (!emailPattern.test(value)) throw new Error(`context ${name} must be an email address, got "${value}"`);
  }
  const portalUrl = text(app, 'portalUrl').replace(/\/+$/, '');
  if (!/^https:\/\/[^\s/]+/.test(portalUrl)) throw new Error(`context portalUrl must be an https URL, got "${portalUrl}"`);
  const inviteExpiryDays = Number(text(app, 'inviteExpiryDays'));
  if (!Number.isInteger(inviteExpiryDays) || inviteExpiryDays < 1 || inviteExpiryDays > 30) {
    throw new Error('context inviteExpiryDays must be a whole number from 1 to 30');
  }
  const reminderDaysBefore = app.node.tryGetContext('reminderDaysBefore') === undefined ? defaultReminderDaysBefore : Number(text(app, 'reminderDaysBefore'));
  if (!Number.isInteger(reminderDaysBefore) || reminderDaysBefore < 0 || reminderDaysBefore > 29) {
    throw new Error('context reminderDaysBefore must be a whole number of days from 0 (no reminders) to 29');
  }
  const ticketSlaHours = app.node.tryGetContext('ticketSlaHours') === undefined ? defaultTicketSlaHours : Number(text(app, 'ticketSlaHours'));
  if (!Number.isFinite(ticketSlaHours) || ticketSlaHours < 1 || ticketSlaHours > 168) {
    throw new Error('context ticketSlaHours must be a number of hours from 1 to 168');
  }
  const documentRetentionDays =
    app.node.tryGetContext('documentRetentionDays') === undefined ? defaultDocumentRetentionDays : Number(text(app, 'documentRetentionDays'));
  if (!Number.isInteger(documentRetentionDays) || documentRetentionDays < 1 || documentRetentionDays > 3650) {
    throw new Error('context documentRetentionDays must be a whole number of days from 1 to 3650');
  }
  // A verified domain lets any address of it send; by default only the sender address itself is verified.
  const sesIdentity = app.node.tryGetContext('sesIdentity') === undefined ? senderEmail : text(app, 'sesIdentity');
  const senderDomain = senderEmail.slice(senderEmail.indexOf('@') + 1).toLowerCase();
  const identityMatches = sesIdentity.includes('@')
    ? sesIdentity.toLowerCase() === senderEmail.toLowerCase()
    : domainPattern.test(sesIdentity) && sesIdentity.toLowerCase() === senderDomain;
  if (!identityMatches) throw new Error(`context sesIdentity "${sesIdentity}" must be senderEmail or its domain`);
  return { senderEmail, sesIdentity, opsEmail, portalUrl, inviteExpiryDays, reminderDaysBefore, ticketSlaHours, documentRetentionDays };
};

/**
 * HTTP API throttles, per route (requests per second, steady and burst). Anonymous routes (invite links, the API
 * description) each get a small budget of their own, so a flood of link guesses is refused at the gateway without
 * touching the budgets of advisor and ops routes; each staff route keeps the stage's former ceiling. The stage
 * default still caps any route not named.
 */
export const apiThrottles = {
  stageDefault: { rateLimit: 50, burstLimit: 100 },
  staffRoute: { rateLimit: 50, burstLimit: 100 },
  anonymousRoute: { rateLimit: 10, burstLimit: 20 },
} as const;
