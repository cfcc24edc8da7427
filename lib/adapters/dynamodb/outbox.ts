import { QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Outbox, OutboxEntry } from '../../domain/ports.ts';
import type { TicketRequest } from '../../schemas/invitations.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { dynamoAdvisorNotices } from './advisor-notices.ts';
import { expiringLinks, fileUnderExpiry, unscheduleLink } from './expiring.ts';
import { purgeEntryId } from './household-deletion.ts';
import { applyChange } from './invitation-changes.ts';
import { outboxPartition, outboxSortKey, stuckOutboxPartition } from './keys.ts';
import { table } from './transact.ts';
import { dueIn } from './outbox-index.ts';

// The outbox is the sparse `outbox` index: ticket-request items, invitations whose email SES has not answered, and
// deleted households whose purge is not done;
// its EXPIRING partition, the expiry schedule, is in expiring.ts, and its NOTICES partition in advisor-notices.ts.
// A try count belongs to the due slot it scheduled (attemptsKey), so a fresh send of the same invitation starts at 0.

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const attemptsOf = (item: Record<string, unknown>): number =>
  typeof item.outboxAttempts === 'number' && item.outboxAttemptsKey === item.gsi3sk ? item.outboxAttempts : 0;

const entryFrom = (item: Record<string, unknown>): OutboxEntry => {
  const sortKey = text(item.gsi3sk);
  const common = {
    dueAt: sortKey.split('#')[0] ?? '',
    sortKey,
    itemKey: { pk: text(item.pk), sk: text(item.sk) },
    attempts: item.gsi3pk === stuckOutboxPartition ? Number(item.outboxAttempts ?? 0) : attemptsOf(item),
    ...(typeof item.outboxStuckReason === 'string' ? { stuckReason: item.outboxStuckReason } : {}),
  };
  if (item.entity === 'household') {
    // A deleted household whose purge is owed (household-deletion.ts): the tombstone is its own entry.
    return { kind: 'household_purge', firmId: text(item.firmId), householdId: text(item.householdId), invitationId: '', since: text(item.deletedAt), ...common };
  }
  if (item.entity === 'ticket-request') {
    // Read as stored: a malformed request is the sweeper's to set aside, never a crash of the whole sweep.
    const request = (typeof item.request === 'object' && item.request !== null ? item.request : {}) as Partial<TicketRequest>;
    const complete = typeof request.ticketId === 'string' && typeof request.firmId === 'string';
    return {
      kind: 'ticket_request',
      firmId: text(request.firmId),
      householdId: text(request.householdId),
      invitationId: text(request.invitationId),
      ticketRequest: complete ? (request as TicketRequest) : undefined,
      since: request.requestedAt,
      ...common,
    };
  }
  const sends = Array.isArray(item.sends) ? item.sends : [];
  return {
    kind: 'invitation_email',
    firmId: text(item.firmId),
    householdId: text(item.householdId),
    invitationId: text(item.invitationId),
    tokenHash: text(item.tokenHash),
    since: typeof sends.at(-1) === 'string' ? (sends.at(-1) as string) : undefined,
    ...common,
  };
};

const idOf = (entry: OutboxEntry) =>
  entry.kind === 'household_purge'
    ? purgeEntryId(entry.householdId)
    : entry.kind === 'ticket_request'
      ? `TICKET#${entry.ticketRequest?.ticketId ?? entry.itemKey.sk}`
      : `EMAIL#${entry.invitationId}`;

/**
 * An update of the entry exactly as it was read (from the outbox, or from the stuck partition); a confirmed or
 * replaced entry is left alone, and false says so.
 */
const updateEntry = async (
  entry: OutboxEntry,
  update: string,
  values: Record<string, unknown>,
  { readFrom = outboxPartition }: { readFrom?: string } = {},
): Promise<boolean> => {
  try {
    await tableCall(() =>
      documents.send(
        new UpdateCommand({
          TableName: table(),
          Key: entry.itemKey,
          UpdateExpression: update,
          ConditionExpression: 'gsi3pk = :readFrom AND gsi3sk = :seen',
          ExpressionAttributeValues: { ':readFrom': readFrom, ':seen': entry.sortKey, ...values },
        }),
      ),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

const query = (input: Omit<QueryCommandInput, 'TableName' | 'IndexName'>) =>
  tableCall(() => documents.send(new QueryCommand({ TableName: table(), IndexName: 'outbox', ...input })));

export const dynamoOutbox: Outbox = {
  async due(now, limit) {
    return (await dueIn(outboxPartition, now, limit)).map(entryFrom);
  },

  async postpone(entry, until) {
    await updateEntry(entry, 'SET gsi3sk = :sortKey', { ':sortKey': outboxSortKey(until, idOf(entry)) });
  },

  async retryLater(entry, attempts, dueAt) {
    const sortKey = outboxSortKey(dueAt, idOf(entry));
    await updateEntry(entry, 'SET gsi3sk = :sortKey, outboxAttempts = :attempts, outboxAttemptsKey = :sortKey', {
      ':sortKey': sortKey,
      ':attempts': attempts,
    });
  },

  async setAside(entry, attempts, reason, at) {
    await updateEntry(
      entry,
      'SET gsi3pk = :stuck, gsi3sk = :sortKey, outboxAttempts = :attempts, outboxStuckReason = :reason, outboxStuckAt = :at',
      { ':stuck': stuckOutboxPartition, ':sortKey': outboxSortKey(at, idOf(entry)), ':attempts': attempts, ':reason': reason, ':at': at },
    );
  },

  async stuck(limit) {
    const result = await query({ KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': stuckOutboxPartition }, Limit: limit });
    return (result.Items ?? []).map(entryFrom);
  },

  async countStuck() {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    // Bounded: past a few pages the alarm has long fired; the number only has to say "not zero".
    for (let page = 0; page < 5; page += 1) {
      const result = await query({
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': stuckOutboxPartition },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      });
      count += result.Count ?? 0;
      start = result.LastEvaluatedKey;
      if (start === undefined) break;
    }
    return count;
  },

  async markEmailUnanswered(change) {
    // Not applied when an answer was recorded meanwhile, or the link changed: that answer (or link) wins.
    await applyChange(change);
  },

  expiring: expiringLinks,
  unschedule: unscheduleLink,
  fileUnderExpiry,
  ...dynamoAdvisorNotices,
};

/** For ops once the cause is fixed (infra/ops/outbox-stuck.ts): a stuck entry is due again, with a fresh budget. */
export const returnToOutbox = (entry: OutboxEntry, dueAt: string): Promise<boolean> =>
  updateEntry(
    entry,
    'SET gsi3pk = :outbox, gsi3sk = :sortKey REMOVE outboxAttempts, outboxAttemptsKey, outboxStuckReason, outboxStuckAt',
    { ':outbox': outboxPartition, ':sortKey': outboxSortKey(dueAt, idOf(entry)) },
    { readFrom: stuckOutboxPartition },
  );
