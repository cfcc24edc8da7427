import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { observability } from '#lib/observability.ts';
import { logger } from '#lib/logger.ts';
import { parseEmailEvent } from '#lib/schemas/email-events.ts';
import { recordEmailEvent } from '#lib/use-cases/record-email-event.ts';
import { eventBus, invitationEndings, invitationReads, mail, wire } from '#lib/wiring.ts';

const deps = wire('record-email-events', invitationReads, invitationEndings, mail, eventBus);
const processor = new BatchProcessor(EventType.SQS);

// A message that fails here is retried alone (partial batch response) and, after maxReceiveCount, lands in the DLQ.
const recordOne = async (record: SQSRecord, context: Context) => {
  const parsed = parseEmailEvent(record.body);
  if (!parsed.success) {
    logger.error('malformed SES event', { messageId: record.messageId, reason: parsed.reason });
    throw new Error('malformed SES event');
  }
  const { event } = parsed;
  // The invocation's deadline bounds the retry that records the advisor's notice (a timeout there could email twice).
  const outcome = await recordEmailEvent({ ...deps, remainingMs: () => context.getRemainingTimeInMillis(), requestId: record.messageId }, event);
  logger.info('SES event handled', { messageId: record.messageId, sesMessageId: event.messageId, kind: event.kind, invitationId: event.invitation?.invitationId, outcome });
};

export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, (record: SQSRecord) => recordOne(record, context), processor, { context }),
).use(observability());
