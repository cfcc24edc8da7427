import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventOutbox } from '../../domain/ports.ts';
import { eventOutboxSortKey, fromEventItem } from './audit-events.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { eventsPartition, householdEventKey } from './keys.ts';
import { table } from './transact.ts';
import { dueIn } from './outbox-index.ts';

// The lifecycle events still owed to the bus: the EVENTS partition of the sparse `outbox` index, where each event
// item of a lifecycle action is filed when it is put (audit-events.ts). Publishing takes it out; nothing else in the
// event changes.

export const dynamoEventOutbox: EventOutbox = {
  async unpublished(before, limit) {
    return (await dueIn(eventsPartition, before, limit)).map(fromEventItem);
  },

  async published(event) {
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: householdEventKey(event.firmId, event.householdId, event.at, event.eventId),
            UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
            // Only the entry as filed: another publisher that took it out first leaves nothing to do.
            ConditionExpression: 'gsi3pk = :pk AND gsi3sk = :seen',
            ExpressionAttributeValues: { ':pk': eventsPartition, ':seen': eventOutboxSortKey(event) },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },
};
