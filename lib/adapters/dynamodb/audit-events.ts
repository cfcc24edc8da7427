import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isLifecycle, type AuditEvent } from '../../domain/audit.ts';
import type { AuditTrail } from '../../domain/ports.ts';
import { documents, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { eventsPartition, householdEventKey, householdEventPrefix, householdKey } from './keys.ts';
import { table, type NamedItems, type TransactItem } from './transact.ts';

// The audit trail's items: each event is put once, beside its household, in the transaction of the change it
// records; nothing updates or deletes one.

/** The names of a change's event items in its transaction. */
export type EventPart = `event${number}`;

/** Where an unpublished lifecycle event waits in the outbox index: by when it happened. */
export const eventOutboxSortKey = (event: Pick<AuditEvent, 'at' | 'eventId'>) => `${event.at}#${event.eventId}`;

const eventItem = (event: AuditEvent) => ({
  ...householdEventKey(event.firmId, event.householdId, event.at, event.eventId),
  entity: 'event',
  ...event,
  // A lifecycle event is owed to the bus from its commit on (event-outbox.ts): never lost, never before the commit.
  ...(isLifecycle(event.action) ? { gsi3pk: eventsPartition, gsi3sk: eventOutboxSortKey(event) } : {}),
});

/** A new event; its key is fresh (UUIDv7), so the condition only guards against overwriting one. */
const eventPut = (event: AuditEvent): TransactItem => ({
  Put: { TableName: table(), Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
});

/** A change's events as named items of its transaction: event0, event1, ... */
export const eventItems = (events: readonly AuditEvent[] | undefined): NamedItems<EventPart> =>
  Object.fromEntries((events ?? []).map((event, index) => [`event${index}`, eventPut(event)]));

export const fromEventItem = (item: Record<string, unknown>): AuditEvent => {
  const { pk: _pk, sk: _sk, entity: _entity, gsi3pk: _a, gsi3sk: _b, ...event } = item;
  return event as unknown as AuditEvent;
};

export const dynamoAuditTrail: AuditTrail = {
  async list(firmId, householdId, page) {
    const pk = householdKey(firmId, householdId).pk;
    // The household's partition is also its invitations' list: the cursor says which list it belongs to.
    const scope = { attribute: 'pk', value: pk, keyNames: ['pk', 'sk'], list: 'events' };
    const start = await decodeCursor(page.cursor, scope);
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': householdEventPrefix },
          Limit: page.limit,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return { items: (result.Items ?? []).map(fromEventItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
  },
};
