// The expiry schedule: the EXPIRING partition of the sparse `outbox` index, where every link item is filed by its
// invitation's expiry (invitation-items.ts tokenPut). Retiring a link deletes its item, so revoking, expiring,
// resending, taking over a delivery or approving takes the old expiry out of the schedule in the same transaction;
// only an acceptance keeps its link, and the sweeper takes that one out when it comes due. A link with a reminder
// planned is filed under the reminder's time first (invitation-reminders.ts), and moved to its expiry once reminded.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExpiringLink, Outbox } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { expiringPartition, invitationKey, outboxSortKey, tokenKey } from './keys.ts';
import { table, transact, type TransactItem } from './transact.ts';
import { dueIn } from './outbox-index.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const tokenPrefix = tokenKey('').pk;

const linkFrom = (item: Record<string, unknown>): ExpiringLink => {
  const sortKey = text(item.gsi3sk);
  const dueAt = sortKey.split('#')[0] ?? '';
  return {
    firmId: text(item.firmId),
    householdId: text(item.householdId),
    invitationId: text(item.invitationId),
    tokenHash: text(item.pk).slice(tokenPrefix.length),
    // A link filed before reminders existed has its expiry in its sort key only.
    expiresAt: typeof item.expiresAt === 'string' ? item.expiresAt : dueAt,
    sortKey,
    dueAt,
  };
};

export const expiringLinks: Outbox['expiring'] = async (now, limit) => (await dueIn(expiringPartition, now, limit)).map(linkFrom);

/** The link's entry moved from its reminder time to its expiry, as read: a link retired or moved meanwhile is left. */
const toExpiry = (link: ExpiringLink, remindedAt: string | undefined): TransactItem => ({
  Update: {
    TableName: table(),
    Key: tokenKey(link.tokenHash),
    UpdateExpression: remindedAt === undefined ? 'SET gsi3sk = :expiry' : 'SET gsi3sk = :expiry, remindedAt = :at',
    ConditionExpression: 'gsi3pk = :pk AND gsi3sk = :seen',
    ExpressionAttributeValues: {
      ':expiry': outboxSortKey(link.expiresAt, link.invitationId),
      ':pk': expiringPartition,
      ':seen': link.sortKey,
      ...(remindedAt === undefined ? {} : { ':at': remindedAt }),
    },
  },
});

/** Its invitation still live on this link: an acceptance, revocation or new link landing first wins over a reminder. */
const liveOnLink = (link: ExpiringLink): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: invitationKey(link.firmId, link.householdId, link.invitationId),
    ConditionExpression: 'tokenHash = :tokenHash AND #state = :live',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':tokenHash': link.tokenHash, ':live': 'live' },
  },
});

/** Marking a link reminded and moving it on is one conditional write: of two runs that read it, one wins. */
export const fileUnderExpiry: Outbox['fileUnderExpiry'] = async (link, remindedAt) => {
  if (remindedAt !== undefined) return (await transact({ link: toExpiry(link, remindedAt), invitation: liveOnLink(link) })).ok;
  try {
    await tableCall(() => documents.send(new UpdateCommand(toExpiry(link, undefined).Update!)));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
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
