import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from '#lib/observability.ts';
import { expireInvitations } from '#lib/use-cases/expire-invitations.ts';
import { sendAdvisorNotices } from '#lib/use-cases/send-advisor-notices.ts';
import { publishOwedEvents } from '#lib/use-cases/publish-events.ts';
import { purgeOwed } from '#lib/use-cases/purge-household.ts';
import { sweepOutbox } from '#lib/use-cases/sweep-outbox.ts';
import { documentFiles, eventBus, householdDeletion, invitationChanges, invitationReads, mail, outbox, ticketQueue, ticketSla, wire } from '#lib/wiring.ts';

const deps = wire('sweep-outbox', outbox, ticketQueue, ticketSla, invitationReads, invitationChanges, mail, eventBus, householdDeletion, documentFiles);

/**
 * Runs every minute on a schedule; each run works through at most one page of the link schedule (reminding clients
 * at their link's reminder time, ending invitations past their expiry and cancelling their open tickets), repairs at
 * most one page of overdue outbox entries and one of owed lifecycle events, emails one page of owed advisor notices
 * and measures the age of the
 * oldest open ticket (the ops desk's SLA). A run in which something failed ends in an error after everything else was handled,
 * so the function's Errors metric (the "sweeper errors" alarm) counts it.
 */
export const handler = middy(async (_event: unknown, context: Context) => {
  // The trail names each run by its Lambda request id.
  const base = { ...deps, remainingMs: () => context.getRemainingTimeInMillis(), requestId: context.awsRequestId };
  // A deleted household's purge its request left owed.
  const run = { ...base, purgeHousehold: (household: { firmId: string; householdId: string }) => purgeOwed(base, household) };
  // Expiry first, so the tickets it cancels are out of the SLA figure; a failed read of it never holds up the outbox.
  const expiry = await expireInvitations(run).catch((error: unknown) => ({ error }));
  const result = await sweepOutbox(run);
  // Lifecycle events their request left owed past the grace period (it died, or the bus refused).
  const published = await publishOwedEvents(run).catch((error: unknown) => ({ error }));
  const notices = await sendAdvisorNotices(run).catch((error: unknown) => ({ error }));
  if ('error' in expiry) throw expiry.error;
  if (typeof published === 'object') throw published.error;
  if ('error' in notices) throw notices.error;
  const failed = result.failed + expiry.failed + notices.failed;
  if (failed > 0) throw new Error(`${failed} entries failed this sweep; each is retried later`);
  return { ...result, expired: expiry.expired, reminded: expiry.reminded, advisorNotices: notices.sent };
}).use(observability());
