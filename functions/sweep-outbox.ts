import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { observability } from '#lib/observability.ts';
import { sweepOutbox } from '#lib/use-cases/sweep-outbox.ts';
import { outbox, ticketQueue, tickets, wire } from '#lib/wiring.ts';

const deps = wire('sweep-outbox', outbox, ticketQueue, tickets);

/**
 * Runs every minute on a schedule; each run repairs at most one page of overdue outbox entries and measures the
 * age of the oldest open ticket (the ops desk's SLA). A run in which some entry failed ends in an error after
 * every other entry was handled, so the function's Errors metric (the "sweeper errors" alarm) counts it.
 */
export const handler = middy(async (_event: unknown, context: Context) => {
  const result = await sweepOutbox({ ...deps, remainingMs: () => context.getRemainingTimeInMillis() });
  if (result.failed > 0) throw new Error(`${result.failed} outbox entries failed this sweep; each is retried with backoff`);
  return result;
}).use(observability());
