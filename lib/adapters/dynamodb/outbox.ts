import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Outbox, OutboxEntry } from '../../domain/ports.ts';
import type { TicketRequest } from '../../schemas/invitations.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { invitationKey, outboxPartition, outboxSortKey, ticketRequestKey } from './keys.ts';
import { table } from './transact.ts';

const entryFrom = (item: Record<string, unknown>): OutboxEntry => {
  const dueAt = String(item.gsi3sk).split('#')[0] ?? '';
  if (item.entity === 'ticket-request') {
    const request = item.request as TicketRequest;
    return { kind: 'ticket_request', firmId: request.firmId, householdId: request.householdId, invitationId: request.invitationId, ticketRequest: request, dueAt };
  }
  return {
    kind: 'invitation_email',
    firmId: String(item.firmId),
    householdId: String(item.householdId),
    invitationId: String(item.invitationId),
    tokenHash: String(item.tokenHash),
    dueAt,
  };
};

const keyOf = (entry: OutboxEntry) =>
  entry.kind === 'ticket_request' && entry.ticketRequest
    ? ticketRequestKey(entry.firmId, entry.householdId, entry.ticketRequest.ticketId)
    : invitationKey(entry.firmId, entry.householdId, entry.invitationId);

export const dynamoOutbox: Outbox = {
  async due(now, limit) {
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          IndexName: 'outbox',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :now',
          ExpressionAttributeValues: { ':pk': outboxPartition, ':now': now },
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map(entryFrom);
  },

  async postpone(entry, until) {
    const id = entry.kind === 'ticket_request' ? `TICKET#${entry.ticketRequest?.ticketId}` : `EMAIL#${entry.invitationId}`;
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: keyOf(entry),
            UpdateExpression: 'SET gsi3sk = :sortKey',
            ConditionExpression: 'attribute_exists(gsi3pk)',
            ExpressionAttributeValues: { ':sortKey': outboxSortKey(until, id) },
          }),
        ),
      );
    } catch (error) {
      // Confirmed meanwhile: nothing left to postpone.
      if (!isConditionFailure(error)) throw error;
    }
  },
};
