// Queue behaviour shared by the CDK stack and the local stack, so local redrive matches the cloud.

/** Deliveries before a ticket request moves to the dead-letter queue. */
export const maxReceiveCount = 5;
/** Timeout of the ops function that drains the queue. */
export const consumerTimeoutSeconds = 30;
/** AWS advises at least six times the consumer timeout, so a slow batch is not redelivered mid-flight. */
export const visibilityTimeoutSeconds = consumerTimeoutSeconds * 6;
export const retentionDays = 4;
/** Longer than the queue's, so a message that dies late still has time in the DLQ. */
export const deadLetterRetentionDays = 14;
export const batchSize = 10;
export const maxConcurrency = 5;
