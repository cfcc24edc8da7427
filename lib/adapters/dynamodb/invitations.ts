import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../domain/errors.ts';
import type { InvitationStore } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { invitationChanges } from './invitation-changes.ts';
import { deliveryOutbox, fromInvitationItem, invitationItem, linkSwap, lockPut, ticketRequestPut, tokenPut } from './invitation-items.ts';
import { invitationKey, tokenKey } from './keys.ts';
import { inProgress, savedByRequest, savedOnClaim } from './request-records.ts';
import { table, transact } from './transact.ts';

export const dynamoInvitations: InvitationStore = {
  async create(invitation, ticketRequest, marker) {
    const { firmId, householdId, invitationId } = invitation;
    const outcome = await transact({
      invitation: {
        Put: {
          TableName: table(),
          Item: { ...invitationItem(invitation), ...deliveryOutbox(invitation, invitation.createdAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      lock: lockPut(invitation, invitation.expiresAt, invitation.createdAt),
      link: tokenPut(invitation, invitation.tokenHash, invitation.expiresAt),
      ticketRequest: ticketRequest && ticketRequestPut(ticketRequest, invitation.createdAt),
      request: marker && savedOnClaim(marker, { householdId, invitationId }),
    });
    if (outcome.ok) return invitation;
    if (marker !== undefined && outcome.failed.has('request')) {
      // An earlier attempt with this key saved its invitation and lost the answer: that invitation is the answer.
      const saved = await savedByRequest(marker, (ids) => invitationKey(firmId, String(ids.householdId), String(ids.invitationId)));
      if (!saved) throw inProgress();
      return fromInvitationItem(saved);
    }
    // Ids are fresh per attempt, so this one exists only if the SDK retried a write of ours that had committed.
    if (outcome.failed.has('invitation')) return invitation;
    throw conflict('A live invitation already exists for that email in this household');
  },

  async get(firmId, householdId, invitationId) {
    const result = await tableCall(() =>
      documents.send(new GetCommand({ TableName: table(), Key: invitationKey(firmId, householdId, invitationId) })),
    );
    return result.Item ? fromInvitationItem(result.Item) : undefined;
  },

  async list(firmId, householdId, page) {
    const pk = invitationKey(firmId, householdId, '').pk;
    const scope = { attribute: 'pk', value: pk, keyNames: ['pk', 'sk'] };
    const start = await decodeCursor(page.cursor, scope);
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
    return { items: (result.Items ?? []).map(fromInvitationItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
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

  async takeOverDelivery(invitation, tokenHash, now) {
    const outbox = deliveryOutbox(invitation, now);
    const outcome = await transact({
      invitation: {
        Update: {
          TableName: table(),
          Key: invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId),
          UpdateExpression: 'SET tokenHash = :hash, updatedAt = :now, gsi3pk = :outboxPk, gsi3sk = :outboxSk',
          // Only while nobody has sent it: SES has not answered (pending) and no other request swapped the link.
          ConditionExpression: 'tokenHash = :oldHash AND delivery = :pending AND #state = :live',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':hash': tokenHash,
            ':now': now,
            ':outboxPk': outbox.gsi3pk,
            ':outboxSk': outbox.gsi3sk,
            ':oldHash': invitation.tokenHash,
            ':pending': 'pending',
            ':live': 'live',
          },
        },
      },
      ...linkSwap(invitation, tokenHash, invitation.expiresAt),
    });
    if (outcome.ok) return { ...invitation, tokenHash, updatedAt: now };
    if (outcome.failed.has('invitation')) return undefined;
    throw conflict('The invitation changed meanwhile; read it again and retry');
  },

  ...invitationChanges,
};
