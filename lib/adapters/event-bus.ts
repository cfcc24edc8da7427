import { config } from '../config.ts';
import type { EventBus } from '../domain/ports.ts';
import { eventBridgeBus } from './eventbridge.ts';
import { snsEventBus } from './sns-events.ts';

/** EventBridge where a bus is named (AWS), the SNS topic where one is (the local stack): infra/function-env.ts sets one. */
export const configuredEventBus: EventBus = {
  publish: (events) => (config.eventBusName() !== undefined ? eventBridgeBus : snsEventBus).publish(events),
};
