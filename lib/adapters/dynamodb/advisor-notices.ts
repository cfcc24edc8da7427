// Advisor notices as the table keeps them: one item per invitation and event, in its household's partition, filed in
// the outbox index's NOTICES partition under when it is due. The change that makes the event happen writes it with
// an Update, the one write a link route's grant allows there (infra/cdk/grants.ts); the sweeper leases, sends and
// deletes it (lib/use-cases/send-advisor-notices.ts).
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AdvisorNotice, AdvisorNoticeEvent } from '../../domain/advisor-notices.ts';
import type { InvitationKey } from '../../domain/invitation-change.ts';
import type { DueNotice, Outbox } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { advisorNoticeKey, advisorNoticesPartition, outboxSortKey } from './keys.ts';
import { table, type TransactItem } from './transact.ts';
import { dueIn } from './outbox-index.ts';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const keyOf = (notice: InvitationKey & { event: string }) => advisorNoticeKey(notice.firmId, notice.householdId, notice.invitationId, notice.event);
const sortKey = (dueAt: string, notice: Pick<DueNotice, 'invitationId' | 'event'>) => outboxSortKey(dueAt, notice.invitationId, notice.event);

/** Owes the notice, in the change's transaction; a later event of the same kind (a failed send again) replaces it. */
export const noticeFile = (key: InvitationKey, notice: AdvisorNotice, at: string): TransactItem => ({
  Update: {
    TableName: table(),
    Key: keyOf({ ...key, event: notice.event }),
    UpdateExpression:
      'SET entity = :entity, firmId = :firmId, householdId = :householdId, invitationId = :invitationId, #event = :event, ' +
      'tokenHash = :tokenHash, owedAt = :at, gsi3pk = :pk, gsi3sk = :sortKey REMOVE noticeAttempts',
    ExpressionAttributeNames: { '#event': 'event' },
    ExpressionAttributeValues: {
      ':entity': 'advisor-notice',
      ':firmId': key.firmId,
      ':householdId': key.householdId,
      ':invitationId': key.invitationId,
      ':event': notice.event,
      ':tokenHash': notice.tokenHash,
      ':at': at,
      ':pk': advisorNoticesPartition,
      ':sortKey': sortKey(notice.dueAt, { invitationId: key.invitationId, event: notice.event }),
    },
  },
});

const noticeFrom = (item: Record<string, unknown>): DueNotice => ({
  firmId: text(item.firmId),
  householdId: text(item.householdId),
  invitationId: text(item.invitationId),
  event: text(item.event) as AdvisorNoticeEvent,
  tokenHash: text(item.tokenHash),
  attempts: typeof item.noticeAttempts === 'number' ? item.noticeAttempts : 0,
  sortKey: text(item.gsi3sk),
});

const dueNotices: Outbox['notices'] = async (now, limit) => (await dueIn(advisorNoticesPartition, now, limit)).map(noticeFrom);

/** Moves the notice as read to `until`, so no other run finds it due before then; nothing if it moved meanwhile. */
const leaseNotice: Outbox['leaseNotice'] = async (notice, until) => {
  const held = { ...notice, attempts: notice.attempts + 1, sortKey: sortKey(until, notice) };
  try {
    await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: keyOf(notice),
          UpdateExpression: 'SET gsi3sk = :held, noticeAttempts = :attempts',
          ConditionExpression: 'gsi3pk = :pk AND gsi3sk = :seen',
          ExpressionAttributeValues: { ':held': held.sortKey, ':attempts': held.attempts, ':pk': advisorNoticesPartition, ':seen': notice.sortKey },
        }),
      ),
    );
    return held;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

const clearNotice: Outbox['clearNotice'] = async (notice) => {
  try {
    await tableCall(() =>
      documents.send(
        new DeleteCommand({
          TableName: table(),
          Key: keyOf(notice),
          ConditionExpression: 'gsi3sk = :held',
          ExpressionAttributeValues: { ':held': notice.sortKey },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

export const dynamoAdvisorNotices = { notices: dueNotices, leaseNotice, clearNotice } satisfies Pick<Outbox, 'notices' | 'leaseNotice' | 'clearNotice'>;
