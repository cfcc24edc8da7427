import * as config from '../config.ts';
import type { EventBus } from '../domain/ports.ts';
import { eventBridgeBus } from './eventbridge.ts';
import { snsEventBus } from './sns-events.ts';

/**
 * EventBridge where a bus is named (AWS), the SNS topic where one is (the local stack): infra/function-env.ts sets one.
 * A deployed bundle always names a bus, and is built with PORTAL_BUNDLED_FOR_AWS defined (infra/bundling.ts), so
 * esbuild drops the SNS client from it (21.7 KB); the local stack runs these sources, where it is undefined.
 */
export const configuredEventBus: EventBus = {
  publish: (events) =>
    (process.env.PORTAL_BUNDLED_FOR_AWS === 'true' || config.eventBusName() !== undefined ? eventBridgeBus : snsEventBus).publish(events),
};
