import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import * as config from '../config.ts';
import type { EventBus } from '../domain/ports.ts';
import { lifecycleEventSource } from '../schemas/events.ts';
import { clientDefaults } from './aws-errors.ts';
import { observed } from './call-observers.ts';

// Constructed on the first publish; the endpoint comes from AWS_ENDPOINT_URL_SNS (fauxqs) when run locally.
let client: SNSClient | undefined;

/**
 * The bus on the local stack: an SNS topic (fauxqs) whose subscribers get each event in the envelope an EventBridge
 * rule gives an SQS target, so a consumer reads the same JSON in both places.
 */
export const snsEventBus: EventBus = {
  async publish(events) {
    const topic = (client ??= observed(new SNSClient({ ...clientDefaults })));
    for (let start = 0; start < events.length; start += 10) {
      const batch = events.slice(start, start + 10);
      const result = await topic.send(
        new PublishBatchCommand({
          TopicArn: config.eventTopicArn(),
          PublishBatchRequestEntries: batch.map((detail, index) => ({
            Id: String(index),
            Message: JSON.stringify({ version: '0', source: lifecycleEventSource, 'detail-type': detail.type, time: detail.occurredAt, detail }),
          })),
        }),
      );
      if (result.Failed?.length) throw new Error(`${result.Failed.length} lifecycle events were not published`);
    }
  },
};
