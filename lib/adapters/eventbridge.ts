import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as config from '../config.ts';
import type { EventBus } from '../domain/ports.ts';
import { lifecycleEventSource } from '../schemas/events.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Constructed on the first publish: most requests of a function with the bus publish nothing.
let client: EventBridgeClient | undefined;

/** The bus in AWS: PutEvents, ten at a time (its limit); any entry refused fails the call, and the outbox keeps it. */
export const eventBridgeBus: EventBus = {
  async publish(events) {
    const bus = (client ??= observed(new EventBridgeClient({ ...clientDefaults })));
    for (let start = 0; start < events.length; start += 10) {
      const batch = events.slice(start, start + 10);
      const result = await bus.send(
        new PutEventsCommand({
          Entries: batch.map((detail) => ({
            EventBusName: config.eventBusName(),
            Source: lifecycleEventSource,
            DetailType: detail.type,
            Detail: JSON.stringify(detail),
            Time: new Date(detail.occurredAt),
          })),
        }),
      );
      if (result.FailedEntryCount) throw new Error(`${result.FailedEntryCount} lifecycle events were not put on the bus`);
    }
  },
};
