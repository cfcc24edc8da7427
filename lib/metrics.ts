import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger.ts';

// CloudWatch metrics as Embedded Metric Format lines from one Powertools Metrics instance: Lambda's log stream turns
// each into data points, with no SDK call and no extra permission. lib/observability.ts flushes them once per
// invocation. Names live here so the alarms and the dashboard (infra/cdk) read the same ones.

export const metricsNamespace = 'PortalOnboarding';
/** The one dimension; its value is SERVICE_NAME, which every function is given (infra/cdk/portal-function.ts). */
export const serviceName = 'portal-onboarding';

export const outboxMetrics = {
  /** How long the oldest entry still owed has been owed (seconds), over the entries due in this sweep. */
  oldestEntryAge: 'OutboxOldestEntryAgeSeconds',
  /** Entries set aside after their try limit: each one is work nobody will retry. */
  stuckEntries: 'OutboxStuckEntries',
  /** Entries whose handling failed in this sweep (they are retried later). */
  failedEntries: 'OutboxFailedEntries',
  dueEntries: 'OutboxDueEntries',
  /** Entries the sweep repaired: a ticket request queued again, or an unanswered email marked send_failed. */
  repairedEntries: 'OutboxRepairedEntries',
} as const;

/** The ops desk's service level, measured by the sweeper every minute whether or not the outbox has work. */
export const ticketSlaMetrics = {
  /** How long the oldest ticket still open, of any firm, has waited (seconds); 0 when none is open. */
  oldestOpenTicketAge: 'OldestOpenTicketAgeSeconds',
} as const;

/** What the product does for its users, per invocation. */
export const businessMetrics = {
  /** Every invitation email SES took: the first, a resend, and the fresh link after ops approve. */
  invitationsSent: 'InvitationsSent',
  /** SES refused the invitation email (the invitation is send_failed). */
  invitationsFailed: 'InvitationSendsFailed',
  /** Live invitations ended by a permanent bounce of their email (SES event, functions/record-email-events.ts). */
  invitationsBounced: 'InvitationsBounced',
  /** Live invitations ended because the client marked their email as spam. */
  invitationsComplained: 'InvitationsComplained',
  /** Invitation emails the recipient's mail server took (SES Delivery events). */
  invitationEmailsDelivered: 'InvitationEmailsDelivered',
  /** Transient or undetermined bounces: SES retries them, and the invitation stays as it is. */
  invitationEmailsSoftBounced: 'InvitationEmailsSoftBounced',
  /** Live invitations the sweeper ended once past their expiry (their open tickets count in ticketsCancelled). */
  invitationsExpired: 'InvitationsExpired',
  /** The one reminder a link gets before its expiry, sent (lib/use-cases/remind-invitation.ts). */
  remindersSent: 'InvitationRemindersSent',
  /** Emails to the inviting advisor: accepted, locked, a failed send not resent within a day (send-advisor-notices.ts). */
  advisorNotices: 'AdvisorNoticesSent',
  ticketsRaised: 'VerificationTicketsRaised',
  ticketsCancelled: 'VerificationTicketsCancelled',
  ticketsApproved: 'VerificationTicketsApproved',
  ticketsRejected: 'VerificationTicketsRejected',
  /** From a ticket's creation to its approval or rejection. */
  ticketTimeToDecision: 'TicketTimeToDecisionSeconds',
  identityVerified: 'IdentityVerified',
  identityWrongNumber: 'IdentityVerificationWrongNumber',
  identityLocked: 'IdentityVerificationLocked',
  identityThrottled: 'IdentityVerificationThrottled',
} as const;

type NameOf<Group> = Group[keyof Group];
type MetricName = NameOf<typeof outboxMetrics> | NameOf<typeof ticketSlaMetrics> | NameOf<typeof businessMetrics>;
type Unit = 'Count' | 'Seconds';

const emptyFlushNotice = 'No application metrics to publish';

export const metrics = new Metrics({
  namespace: metricsNamespace,
  serviceName: process.env.SERVICE_NAME ?? serviceName,
  // Its warnings become log lines like any other, except the one for an invocation that recorded nothing.
  logger: {
    debug: (message: string) => logger.debug(message),
    info: (message: string) => logger.info(message),
    warn: (message: string) => {
      if (!String(message).startsWith(emptyFlushNotice)) logger.warn(message);
    },
    error: (message: string) => logger.error(message),
  },
});

/** Records one value for this invocation; lib/observability.ts writes them all in one line when it ends. */
export const recordMetric = (name: MetricName, value = 1, unit: Unit = 'Count'): void => {
  metrics.addMetric(name, unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count, value);
};

/** Records several values at once (the sweeper's outbox health and the ticket SLA). */
export const emitMetrics = (values: Partial<Record<MetricName, { value: number; unit: Unit }>>): void => {
  for (const [name, { value, unit }] of Object.entries(values) as [MetricName, { value: number; unit: Unit }][]) recordMetric(name, value, unit);
};
