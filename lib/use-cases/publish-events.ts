import { lifecycleDetail, type AuditEvent } from '../domain/audit.ts';
import type { EventBus, EventOutbox } from '../domain/ports.ts';
import { logger } from '../logger.ts';

// Lifecycle events reach the bus through the outbox: each is an audit event item, written in its change's
// transaction and filed as owed (lib/adapters/dynamodb/event-outbox.ts). The use case that made the change publishes
// it right after the commit; the minute sweeper publishes what that left (a crash, the bus down). So an event is never
// published before its change committed, never lost, and may be published twice: consumers dedupe on its id.

export interface PublishDeps {
  eventBus: EventBus;
  eventOutbox: EventOutbox;
}

/**
 * What a use case that writes lifecycle events may be given. Without it (a function not granted the bus) it
 * publishes nothing itself and the sweeper publishes its events within the grace period.
 */
export type Announcing = Partial<PublishDeps>;

/** Publishes the lifecycle events among `events`, in order, then takes each out of the outbox; throws if the bus refused. */
const publish = async (deps: PublishDeps, events: readonly AuditEvent[]): Promise<number> => {
  const owed = events.filter((event) => lifecycleDetail(event) !== undefined);
  if (owed.length === 0) return 0;
  await deps.eventBus.publish(owed.map((event) => lifecycleDetail(event)!));
  await Promise.all(owed.map((event) => deps.eventOutbox.published(event)));
  return owed.length;
};

/** Right after `events` committed with their change: a failure is only logged, since the outbox keeps them owed. */
export const announce = async (deps: Announcing, events: readonly AuditEvent[] | undefined): Promise<void> => {
  const { eventBus, eventOutbox } = deps;
  if (eventBus === undefined || eventOutbox === undefined || events === undefined) return;
  await publish({ eventBus, eventOutbox }, events).catch((error: unknown) => {
    logger.warn('lifecycle events not published; the sweeper will publish them', { error: error instanceof Error ? error.name : 'unknown' });
  });
};

/**
 * The sweeper's repair: events still owed `graceMs` after they happened (the request that made them died, or the
 * bus refused), oldest first, up to `limit` a run. A bus still down fails the run (its errors alarm) and the events
 * stay owed for the next.
 */
export const publishOwedEvents = async (deps: PublishDeps & { now: () => Date; graceMs: () => number }, limit = 100): Promise<number> => {
  const before = new Date(deps.now().getTime() - deps.graceMs()).toISOString();
  const owed = await deps.eventOutbox.unpublished(before, limit);
  if (owed.length > 0) logger.info('owed lifecycle events', { count: owed.length });
  return publish(deps, owed);
};
