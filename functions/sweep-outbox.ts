import { dynamoInvitations } from '#lib/adapters/dynamodb/invitations.ts';
import { dynamoOutbox } from '#lib/adapters/dynamodb/outbox.ts';
import { sqsTicketQueue } from '#lib/adapters/sqs.ts';
import { config } from '#lib/config.ts';
import { lambdaHandler } from '#lib/lambda-handler.ts';
import { sweepOutbox } from '#lib/use-cases/sweep-outbox.ts';

const deps = {
  outbox: dynamoOutbox,
  ticketQueue: sqsTicketQueue,
  invitations: dynamoInvitations,
  graceMs: config.outboxGraceMs,
  now: () => new Date(),
};

/** Runs every minute on a schedule; each run repairs at most one page of overdue outbox entries. */
export const handler = lambdaHandler(() => sweepOutbox(deps));
