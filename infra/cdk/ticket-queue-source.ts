// The ops function drains the ticket queue. Not SqsEventSource: it grants kms:Decrypt on the data key with no
// kms:ViaService, so the role could decrypt with the key directly; here every grant is bound to SQS.
import { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import * as queueSettings from '../queue-settings.ts';
import { grantTicketConsume } from './grants.ts';
import type { PortalFunction } from './portal-function.ts';
import type { PortalData } from './stateful-stack.ts';

export const drainTicketQueue = (fn: PortalFunction, data: PortalData): EventSourceMapping => {
  grantTicketConsume(fn, data);
  const mapping = new EventSourceMapping(fn, 'TicketQueueSource', {
    target: fn,
    eventSourceArn: data.ticketQueue.queueArn,
    batchSize: queueSettings.batchSize,
    // One bad ticket request is retried alone instead of redelivering the whole batch.
    reportBatchItemFailures: true,
    // Caps how hard a backlog can hit the table and SES; the queue absorbs the rest.
    maxConcurrency: queueSettings.maxConcurrency,
  });
  // Lambda checks the role can read the queue when the mapping is created, so the grants must exist first.
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (policy) mapping.node.addDependency(policy);
  return mapping;
};
