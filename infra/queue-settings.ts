// Queue behaviour shared by the CDK stack and the local stack, so local redrive matches the cloud. The timing
// values come from lib/settings/timing.ts, where their rules against the lease and the timeouts are kept.
import { functionTimeoutSeconds, ticketQueue } from '../lib/settings/timing.ts';

/** Deliveries before a ticket request moves to the dead-letter queue. */
export const maxReceiveCount = ticketQueue.maxReceiveCount;
/** Timeout of the ops function that drains the queue. */
export const consumerTimeoutSeconds = functionTimeoutSeconds.ticketQueue;
export const visibilityTimeoutSeconds = ticketQueue.visibilityTimeoutSeconds;
export const retentionDays = ticketQueue.retentionDays;
export const deadLetterRetentionDays = ticketQueue.deadLetterRetentionDays;
export const batchSize = 10;
export const maxConcurrency = 5;
