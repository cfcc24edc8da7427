import type { TicketQueue } from '../domain/ports.ts';
import type { Effect } from '../domain/transition.ts';
import { logger } from '../logger.ts';
import { businessMetrics, recordMetric } from '../metrics.ts';

// Carrying out the effects a transition returned, once its change has committed. Emails stay with each use case,
// since what a failed one means for the answer differs from one to the next.

const isBusinessMetric = (name: string): name is keyof typeof businessMetrics => Object.hasOwn(businessMetrics, name);

/** Records the metric effects; a metric effect names a key of businessMetrics. */
export const recordMetrics = (effects: Effect[]): void => {
  for (const effect of effects) {
    if (effect.kind !== 'metric') continue;
    if (!isBusinessMetric(effect.name)) throw new Error(`unknown business metric ${effect.name}`);
    recordMetric(businessMetrics[effect.name], effect.value, effect.unit);
  }
};

/** Queues the ticket requests; a failure is only logged, since each request's outbox entry lets the sweeper queue it. */
export const queueTicketRequests = async (queue: TicketQueue, effects: Effect[]): Promise<void> => {
  const requests = effects.flatMap((effect) => (effect.kind === 'queue_ticket_request' ? [effect.request] : []));
  if (requests.length === 0) return;
  await queue.send(requests).catch(() => {
    logger.warn('ticket request not queued; the outbox sweeper will queue it', { invitationId: requests[0]!.invitationId });
  });
};
