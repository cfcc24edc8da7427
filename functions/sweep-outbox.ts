import middy from '@middy/core';
import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { dynamoOutbox } from '#lib/adapters/dynamodb/outbox.ts';
import { sqsTicketQueue } from '#lib/adapters/sqs.ts';
import { config } from '#lib/config.ts';
import { logInvocation } from '#lib/logger.ts';
import { sweepOutbox } from '#lib/use-cases/sweep-outbox.ts';

const deps = {
  outbox: dynamoOutbox,
  ticketQueue: sqsTicketQueue,
  invitations: dynamoInvitations,
  graceMs: config.outboxGraceMs,
  now: () => new Date(),
};

/** Runs every minute on a schedule; each run repairs at most one page of overdue outbox entries. */
export const handler = middy()
  .use(logInvocation())
  .handler(() => sweepOutbox(deps));
