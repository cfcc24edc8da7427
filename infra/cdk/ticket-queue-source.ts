// Queue consumers: the ops function drains the ticket queue, the email-events function SES's events. Not
// SqsEventSource: it grants kms:Decrypt on the queue's key with no kms:ViaService, so the role could decrypt with the
// key directly; here every grant is bound to SQS.
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import * as queueSettings from '../queue-settings.ts';
import { grantQueueConsume } from './grants.ts';
import type { PortalFunction } from './portal-function.ts';
import type { PortalData } from './stateful-stack.ts';

/** `fn` drains `queue` (encrypted under `key`) in batches, reporting which messages failed. */
export const drainQueue = (fn: PortalFunction, source: { id: string; queue: IQueue; key: IKey }): EventSourceMapping => {
  grantQueueConsume(fn, source.queue, source.key);
  const mapping = new EventSourceMapping(fn, source.id, {
    target: fn,
    eventSourceArn: source.queue.queueArn,
    batchSize: queueSettings.batchSize,
    // One bad message is retried alone instead of redelivering the whole batch.
    reportBatchItemFailures: true,
    // Caps how hard a backlog can hit the table and SES; the queue absorbs the rest.
    maxConcurrency: queueSettings.maxConcurrency,
  });
  // Lambda checks the role can read the queue when the mapping is created, so the grants must exist first.
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (policy) mapping.node.addDependency(policy);
  return mapping;
};

export const drainTicketQueue = (fn: PortalFunction, data: PortalData): EventSourceMapping =>
  drainQueue(fn, { id: 'TicketQueueSource', queue: data.ticketQueue, key: data.dataKey });
