// The expiry schedule: the EXPIRING partition of the sparse `outbox` index, where every link item is filed by its
// invitation's expiry (invitation-items.ts tokenPut). Retiring a link deletes its item, so revoking, expiring,
// resending, taking over a delivery or approving takes the old expiry out of the schedule in the same transaction;
// only an acceptance keeps its link, and the sweeper takes that one out when it comes due.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExpiringLink, Outbox } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { expiringPartition, tokenKey } from './keys.ts';
import { table } from './transact.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const tokenPrefix = tokenKey('').pk;

const linkFrom = (item: Record<string, unknown>): ExpiringLink => {
  const sortKey = text(item.gsi3sk);
  return {
    firmId: text(item.firmId),
    householdId: text(item.householdId),
    invitationId: text(item.invitationId),
    tokenHash: text(item.pk).slice(tokenPrefix.length),
    expiresAt: sortKey.split('#')[0] ?? '',
    sortKey,
  };
};

export const expiringLinks: Outbox['expiring'] = async (now, limit) => {
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'outbox',
        KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :now',
        ExpressionAttributeValues: { ':pk': expiringPartition, ':now': now },
        Limit: limit,
      }),
    ),
  );
  return (result.Items ?? []).map(linkFrom);
};

/** Only the entry as read: a link retired meanwhile is gone (the condition fails, nothing is created). */
export const unscheduleLink: Outbox['unschedule'] = async (link) => {
  try {
    await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: tokenKey(link.tokenHash),
          UpdateExpression: 'REMOVE gsi3pk, gsi3sk',
          ConditionExpression: 'gsi3pk = :pk AND gsi3sk = :seen',
          ExpressionAttributeValues: { ':pk': expiringPartition, ':seen': link.sortKey },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};
