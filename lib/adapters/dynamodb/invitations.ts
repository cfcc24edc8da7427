import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../domain/errors.ts';
import type { InvitationStore } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { invitationChanges } from './invitation-changes.ts';
import { deliveryOutbox, fromInvitationItem, invitationItem, lockPut, ticketRequestPut, tokenPut } from './invitation-items.ts';
import { invitationKey, tokenKey } from './keys.ts';
import { table, transact, type TransactItem } from './transact.ts';

export const dynamoInvitations: InvitationStore = {
  async create(invitation, ticketRequest) {
    const items: TransactItem[] = [
      {
        Put: {
          TableName: table(),
          Item: { ...invitationItem(invitation), ...deliveryOutbox(invitation, invitation.createdAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      lockPut(invitation, invitation.expiresAt, invitation.createdAt),
      tokenPut(invitation, invitation.tokenHash, invitation.expiresAt),
      ...(ticketRequest ? [ticketRequestPut(ticketRequest, invitation.createdAt)] : []),
    ];
    const outcome = await transact(items);
    if (!outcome.ok) throw conflict('A live invitation already exists for that email in this household');
  },

  async get(firmId, householdId, invitationId) {
    const result = await tableCall(() =>
      documents.send(new GetCommand({ TableName: table(), Key: invitationKey(firmId, householdId, invitationId) })),
    );
    return result.Item ? fromInvitationItem(result.Item) : undefined;
  },

  async list(firmId, householdId, page) {
    const pk = invitationKey(firmId, householdId, '').pk;
    const start = decodeCursor(page.cursor, { attribute: 'pk', value: pk }, ['pk', 'sk']);
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'INV#' },
          Limit: page.limit,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return { items: (result.Items ?? []).map(fromInvitationItem), nextCursor: encodeCursor(result.LastEvaluatedKey) };
  },

  async findByToken(tokenHash) {
    const pointer = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: tokenKey(tokenHash) })));
    const item = pointer.Item as { firmId: string; householdId: string; invitationId: string } | undefined;
    if (!item) return undefined;
    const invitation = await this.get(item.firmId, item.householdId, item.invitationId);
    // A replaced link's pointer may outlive its replacement for a moment; only the current hash counts.
    return invitation?.tokenHash === tokenHash ? invitation : undefined;
  },

  async recordDelivery(invitation, tokenHash, outcome, at) {
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId),
            UpdateExpression:
              outcome === 'sent'
                ? 'SET delivery = :outcome, sentAt = :at, updatedAt = :at REMOVE gsi3pk, gsi3sk'
                : 'SET delivery = :outcome, updatedAt = :at REMOVE gsi3pk, gsi3sk',
            ConditionExpression: 'tokenHash = :tokenHash',
            ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':tokenHash': tokenHash },
          }),
        ),
      );
    } catch (error) {
      // A newer link was issued meanwhile; its own send records its own outcome.
      if (!isConditionFailure(error)) throw error;
    }
  },

  ...invitationChanges,
};
