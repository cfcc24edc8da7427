import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { observability } from '#lib/observability.ts';
import { logger } from '#lib/logger.ts';
import { parseDocumentEvent } from '#lib/schemas/document-events.ts';
import { recordDocumentEvent } from '#lib/use-cases/record-document-uploads.ts';
import { completionNotices, documentFiles, documentRequestChanges, documentRequests, householdReads, mail, wire } from '#lib/wiring.ts';

const deps = wire('record-document-uploads', documentRequests, documentRequestChanges, completionNotices, documentFiles, householdReads, mail);
const processor = new BatchProcessor(EventType.SQS);

// A message that fails here is retried alone (partial batch response) and, after maxReceiveCount, lands in the DLQ.
const recordOne = async (record: SQSRecord) => {
  const parsed = parseDocumentEvent(record.body);
  if (!parsed.success) {
    logger.error('malformed document event', { messageId: record.messageId, reason: parsed.reason });
    throw new Error('malformed document event');
  }
  for (const event of parsed.events) {
    const outcome = await recordDocumentEvent({ ...deps, requestId: record.messageId }, event);
    logger.info('document event handled', { messageId: record.messageId, kind: event.kind, key: event.key, outcome });
  }
};

export const handler = middy((event: SQSEvent, context: Context) =>
  processPartialResponse(event, (record: SQSRecord) => recordOne(record), processor, { context }),
).use(observability());
