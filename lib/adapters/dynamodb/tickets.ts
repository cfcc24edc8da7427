import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict } from '../../domain/errors.ts';
import { recentSends } from '../../domain/invitation.ts';
import type { TicketStore } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { deliveryOutbox, linkSwap, lockPut } from './invitation-items.ts';
import { firmTicketsPartition, invitationKey, ticketKey, ticketRequestKey, ticketsByStatusPartition } from './keys.ts';
import { fromTicketItem, ticketItem, ticketUpsert } from './ticket-items.ts';
import { table, transact, type TransactItem } from './transact.ts';

export const dynamoTickets: TicketStore = {
  async createFromRequest(ticket, notifyLeaseUntil) {
    // The outbox entry stays until ops are emailed (markNotified), so a lost queue message is re-sent by the sweeper.
    try {
      await tableCall(() =>
        documents.send(
          new PutCommand({
            TableName: table(),
            Item: { ...ticketItem(ticket), notifyLeaseUntil },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  },

  async claimNotification(firmId, ticketId, now, leaseUntil) {
    try {
      const result = await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: ticketKey(firmId, ticketId),
            UpdateExpression: 'SET notifyLeaseUntil = :lease',
            ConditionExpression:
              'attribute_exists(pk) AND #status = :open AND attribute_not_exists(notifiedAt) AND (attribute_not_exists(notifyLeaseUntil) OR notifyLeaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':lease': leaseUntil, ':open': 'open', ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return result.Attributes ? fromTicketItem(result.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  },

  async markNotified(request, now) {
    const outcome = await transact({
      ticket: {
        Update: {
          TableName: table(),
          Key: ticketKey(request.firmId, request.ticketId),
          UpdateExpression: 'SET notifiedAt = :now REMOVE notifyLeaseUntil',
          ExpressionAttributeValues: { ':now': now },
        },
      },
      // Ops have their email: nothing is owed any more, so the sweeper stops re-sending the request.
      ticketRequest: { Delete: { TableName: table(), Key: ticketRequestKey(request.firmId, request.householdId, request.ticketId) } },
    });
    if (!outcome.ok) throw new Error('could not record the ops notification');
  },

  async cancelFromRequest(ticket) {
    const request = ticketRequestKey(ticket.firmId, ticket.householdId, ticket.ticketId);
    // Created cancelled, or an open one cancelled; a decided ticket fails the upsert's condition and stays.
    const outcome = await transact({ ticket: ticketUpsert(ticket), ticketRequest: { Delete: { TableName: table(), Key: request } } });
    if (outcome.ok) return 'cancelled';
    await tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key: request })));
    return 'already_decided';
  },

  async releaseNotification(firmId, ticketId, leaseUntil) {
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: ticketKey(firmId, ticketId),
            UpdateExpression: 'REMOVE notifyLeaseUntil',
            ConditionExpression: 'notifyLeaseUntil = :lease',
            ExpressionAttributeValues: { ':lease': leaseUntil },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },

  async get(firmId, ticketId) {
    const result = await tableCall(() => documents.send(new GetCommand({ TableName: table(), Key: ticketKey(firmId, ticketId) })));
    return result.Item ? fromTicketItem(result.Item) : undefined;
  },

  async list(firmId, status, page) {
    const [index, pkName, skName, partition] =
      status === undefined
        ? (['byFirm', 'gsi1pk', 'gsi1sk', firmTicketsPartition(firmId)] as const)
        : (['byStatus', 'gsi2pk', 'gsi2sk', ticketsByStatusPartition(firmId, status)] as const);
    const scope = { attribute: pkName, value: partition, keyNames: ['pk', 'sk', pkName, skName] };
    const start = await decodeCursor(page.cursor, scope);
    const result = await tableCall(() =>
      documents.send(
        new QueryCommand({
          TableName: table(),
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': pkName },
          ExpressionAttributeValues: { ':pk': partition },
          Limit: page.limit,
          ExclusiveStartKey: start,
        }),
      ),
    );
    return { items: (result.Items ?? []).map(fromTicketItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
  },

  async decide(ticket, invitation, decision, freshToken) {
    const decided = {
      ...ticket,
      status: decision.status,
      decidedAt: decision.at,
      decidedBy: decision.by,
      ...(decision.note === undefined ? {} : { note: decision.note }),
    };
    const verification = decision.status === 'approved' ? 'verified' : 'rejected';
    const values: Record<string, unknown> = {
      ':verification': verification,
      ':now': decision.at,
      ':ticketId': ticket.ticketId,
      ':live': 'live',
      ':oldHash': invitation.tokenHash,
    };
    let invitationSet = 'SET verification.#status = :verification, updatedAt = :now';
    let linkItems: { oldLink?: TransactItem; newLink?: TransactItem; lock?: TransactItem } = {};
    let nextInvitation = { ...invitation, verification: { ...invitation.verification, status: verification }, updatedAt: decision.at } as typeof invitation;
    if (freshToken) {
      const sends = [...recentSends(invitation, new Date(decision.at)), decision.at];
      const outbox = deliveryOutbox(invitation, decision.at);
      invitationSet +=
        ', tokenHash = :hash, expiresAt = :expiresAt, delivery = :pending, sends = :sends, gsi3pk = :outboxPk, gsi3sk = :outboxSk';
      Object.assign(values, {
        ':hash': freshToken.hash,
        ':expiresAt': freshToken.expiresAt,
        ':pending': 'pending',
        ':sends': sends,
        ':outboxPk': outbox.gsi3pk,
        ':outboxSk': outbox.gsi3sk,
      });
      linkItems = { ...linkSwap(invitation, freshToken.hash, freshToken.expiresAt), lock: lockPut(invitation, freshToken.expiresAt, decision.at) };
      nextInvitation = { ...nextInvitation, tokenHash: freshToken.hash, expiresAt: freshToken.expiresAt, delivery: 'pending', sends };
    }
    const decidedItem = ticketItem(decided);
    const outcome = await transact({
      ticket: {
        Update: {
          TableName: table(),
          Key: ticketKey(ticket.firmId, ticket.ticketId),
          UpdateExpression: 'SET #status = :status, decidedAt = :at, decidedBy = :by, gsi2pk = :statusPartition' + (decision.note === undefined ? '' : ', note = :note'),
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': decision.status,
            ':at': decision.at,
            ':by': decision.by,
            ':statusPartition': decidedItem.gsi2pk,
            ':open': 'open',
            ...(decision.note === undefined ? {} : { ':note': decision.note }),
          },
        },
      },
      invitation: {
        Update: {
          TableName: table(),
          Key: invitationKey(invitation.firmId, invitation.householdId, invitation.invitationId),
          UpdateExpression: invitationSet,
          ConditionExpression: 'verification.ticketId = :ticketId AND #state = :live AND tokenHash = :oldHash',
          ExpressionAttributeNames: { '#status': 'status', '#state': 'state' },
          ExpressionAttributeValues: values,
        },
      },
      ...linkItems,
      // A decided ticket needs no ops email any more; its request leaves the outbox with the decision.
      ticketRequest: { Delete: { TableName: table(), Key: ticketRequestKey(ticket.firmId, ticket.householdId, ticket.ticketId) } },
    });
    if (!outcome.ok) {
      if (outcome.failed.has('ticket')) throw conflict('This ticket has already been decided');
      if (outcome.failed.has('lock')) throw conflict('Another live invitation exists for that client in this household');
      throw conflict('The invitation changed meanwhile (revoked or reissued); read the ticket again');
    }
    return { ticket: decided, invitation: nextInvitation };
  },
};
