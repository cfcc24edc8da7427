import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { observability } from '#lib/observability.ts';
import { logger } from '#lib/logger.ts';
import { ticketRequestMessage } from '#lib/schemas/invitations.ts';
import { check } from '#lib/schemas/validate.ts';
import { raiseVerificationTicket } from '#lib/use-cases/raise-verification-ticket.ts';
import { eventBus, invitationReads, mail, ticketChanges, ticketReads, wire } from '#lib/wiring.ts';

const deps = wire('raise-verification-tickets', ticketReads, ticketChanges, invitationReads, mail, eventBus);
const processor = new BatchProcessor(EventType.SQS);

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

// A message that fails here is retried alone (partial batch response) and, after maxReceiveCount, lands in the DLQ.
const raiseOne = async (record: SQSRecord, context: Context) => {
  const request = check(ticketRequestMessage, parse(record.body));
  if (!request.success) {
    logger.error('malformed ticket request', { messageId: record.messageId, issues: request.details.length });
    throw new Error('malformed ticket request');
  }
  // The invocation's deadline bounds the retry that records the ops email (a timeout there could email twice).
  const outcome = await raiseVerificationTicket(
    { ...deps, remainingMs: () => context.getRemainingTimeInMillis(), requestId: record.messageId },
    request.data,
  );
  logger.info('ticket request handled', { messageId: record.messageId, ticketId: request.data.ticketId, outcome });
};

export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, (record: SQSRecord) => raiseOne(record, context), processor, { context }),
).use(observability());
