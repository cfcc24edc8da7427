// A household's deletion in the table: the tombstone (the household item stripped to its ids and who deleted it,
// out of the firm's lists, and filed in the outbox until its purge is done), and the purge's own reads and deletes.
// The purge never reads or deletes the trail (EVENT#): its key ranges leave that part of the partition out.
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { clientKeyOf } from '../../domain/portal-access.ts';
import { deletionReason as deletionNote, scrubbedNote, type HouseholdDeletionStore, type HouseholdTombstone, type Leftover } from '../../domain/household-deletion.ts';
import { eventItems } from './audit-events.ts';
import { queryAll } from './query-all.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { householdFromItem } from './households.ts';
import { householdEventPrefix, householdKey, outboxPartition, outboxSortKey, portalAccessKey, ticketKey, tokenKey } from './keys.ts';
import { table, transact, type TransactItem } from './transact.ts';

/** The outbox entry of a household's purge: its sort key names it (outbox.ts reads it back the same way). */
export const purgeEntryId = (householdId: string) => `PURGE#${householdId}`;

/**
 * In the transaction of a write that files something new under a household: the household still exists and is not
 * deleted, so nothing is added after a deletion that its purge, already past it, would miss.
 */
export const householdStands = (firmId: string, householdId: string): TransactItem => ({
  ConditionCheck: {
    TableName: table(),
    Key: householdKey(firmId, householdId),
    ConditionExpression: 'attribute_exists(pk) AND #status <> :deleted',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':deleted': 'deleted' },
  },
});

const tombstoneOf = (item: Record<string, unknown>): HouseholdTombstone => {
  const { firmId, householdId, deletedAt, deletedBy, createdAt, purgedAt } = item as unknown as HouseholdTombstone;
  return { firmId, householdId, status: 'deleted', deletedAt, deletedBy, createdAt, ...(purgedAt === undefined ? {} : { purgedAt }) };
};

const leftoverOf = (item: Record<string, unknown>): Leftover => {
  const key = { pk: item.pk as string, sk: item.sk as string };
  if (item.entity !== 'invitation') return { key };
  const verification = item.verification as { ticketId?: string } | undefined;
  return {
    key,
    invitation: {
      invitationId: item.invitationId as string,
      state: item.state as NonNullable<Leftover['invitation']>['state'],
      tokenHash: item.tokenHash as string | undefined,
      email: item.email as string,
      ticketId: verification?.ticketId,
    },
  };
};

/** One range of the household's partition, at most `limit` items: what a purge still has to remove. */
const range = async (pk: string, condition: string, bound: string, limit: number) => {
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: `pk = :pk AND ${condition}`,
        // The tombstone stays; everything else in this range goes (a filter may not name the key, so by its entity).
        FilterExpression: 'NOT (#entity = :household)',
        ProjectionExpression: 'pk, sk, #entity, invitationId, #state, tokenHash, email, verification.ticketId',
        ExpressionAttributeNames: { '#state': 'state', '#entity': 'entity' },
        ExpressionAttributeValues: { ':pk': pk, ':bound': bound, ':household': 'household' },
        ConsistentRead: true,
        Limit: limit,
      }),
    ),
  );
  return (result.Items ?? []).map(leftoverOf);
};

const remove = (Key: Record<string, string>) => tableCall(() => documents.send(new DeleteCommand({ TableName: table(), Key })));

export const dynamoHouseholdDeletion: HouseholdDeletionStore = {
  async find(firmId, householdId) {
    const result = await tableCall(() =>
      documents.send(new GetCommand({ TableName: table(), Key: householdKey(firmId, householdId), ConsistentRead: true })),
    );
    if (!result.Item) return undefined;
    return result.Item.status === 'deleted' ? tombstoneOf(result.Item) : householdFromItem(result.Item);
  },

  async remove(deletion) {
    const { tombstone } = deletion;
    const outcome = await transact({
      household: {
        Update: {
          TableName: table(),
          Key: householdKey(tombstone.firmId, tombstone.householdId),
          // Out of the firm's lists (gsi1, gsi2) and into the outbox (gsi3) until the purge is done.
          UpdateExpression:
            'SET #status = :deleted, deletedAt = :at, deletedBy = :by, gsi3pk = :outbox, gsi3sk = :due ' +
            'REMOVE #name, members, accounts, accountHashes, createdBy, updatedAt, gsi1pk, gsi1sk, gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk) AND #status = :asRead',
          ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
          ExpressionAttributeValues: {
            ':deleted': 'deleted',
            ':at': tombstone.deletedAt,
            ':by': tombstone.deletedBy,
            ':outbox': outboxPartition,
            ':due': outboxSortKey(deletion.purgeDueAt, purgeEntryId(tombstone.householdId)),
            ':asRead': deletion.statusAsRead,
          },
        },
      },
      ...eventItems(deletion.events),
    });
    if (outcome.ok) return true;
    if (outcome.failed.has('household')) return false;
    throw new Error(`household deletion refused by ${[...outcome.failed].join(', ')}`);
  },

  async leftovers(firmId, householdId, limit) {
    const { pk } = householdKey(firmId, householdId);
    // Below the trail (DOCREQ#, DOCUMENTS_COMPLETE_NOTICE) and above it (INV#, LIVE#, NOTICE#, OUTBOX#): '$' follows '#'.
    const below = await range(pk, 'sk < :bound', householdEventPrefix, limit);
    if (below.length >= limit) return below;
    // One more than wanted: the tombstone, filtered out, may be among the items read.
    return [...below, ...(await range(pk, 'sk > :bound', `${householdEventPrefix.slice(0, -1)}$`, limit - below.length + 1))];
  },

  async deleteItems(keys) {
    // One delete each: the functions are granted no BatchWriteItem (infra/cdk/grants.ts).
    for (let start = 0; start < keys.length; start += 25) await Promise.all(keys.slice(start, start + 25).map(remove));
  },

  async removeLinkAndAccess(household, tokenHash, email) {
    await Promise.all([
      tokenHash === undefined ? undefined : remove(tokenKey(tokenHash)),
      remove(portalAccessKey(clientKeyOf(email), household.firmId, household.householdId)),
    ]);
  },

  async ticketIds(firmId, householdId) {
    const items = await queryAll({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      FilterExpression: 'attribute_exists(ticketId)',
      ProjectionExpression: 'ticketId',
      ExpressionAttributeValues: { ':pk': householdKey(firmId, householdId).pk, ':events': householdEventPrefix },
    });
    return [...new Set(items.map((item) => item.ticketId as string))];
  },

  async scrubTicket(ticketId, household, at) {
    // What ops wrote by hand (the decision's note, the evidence's reference) may name the client too: it goes with
    // the client's details. The evidence's method stays, as the trail of how ops checked.
    const current = await tableCall(() =>
      documents.send(
        new GetCommand({ TableName: table(), Key: ticketKey(ticketId), ProjectionExpression: 'note, evidence', ConsistentRead: true }),
      ),
    );
    const evidence = current.Item?.evidence as { method?: string; reference?: string } | undefined;
    const sets = ['client = :client', 'householdName = :householdName', 'scrubbedAt = :at'];
    const values: Record<string, unknown> = {};
    if (current.Item?.note !== undefined && current.Item.note !== deletionNote) {
      sets.push('note = :note');
      values[':note'] = scrubbedNote;
    }
    if (evidence?.reference !== undefined) {
      sets.push('evidence = :evidence');
      values[':evidence'] = { method: evidence.method };
    }
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: ticketKey(ticketId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            // Only a closed ticket of this household: an open one is cancelled with its invitation first.
            ConditionExpression: 'attribute_exists(pk) AND firmId = :firm AND householdId = :household AND #status <> :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':client': { firstName: '(deleted)', lastName: '(deleted)', email: '(deleted)' },
              ':householdName': '(deleted household)',
              ':at': at,
              ':firm': household.firmId,
              ':household': household.householdId,
              ':open': 'open',
              ...values,
            },
          }),
        ),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  },

  async finish(tombstone, purgedAt, events) {
    const outcome = await transact({
      household: {
        Update: {
          TableName: table(),
          Key: householdKey(tombstone.firmId, tombstone.householdId),
          UpdateExpression: 'SET purgedAt = :at REMOVE gsi3pk, gsi3sk, outboxAttempts, outboxAttemptsKey',
          ConditionExpression: '#status = :deleted AND attribute_not_exists(purgedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': purgedAt, ':deleted': 'deleted' },
        },
      },
      ...eventItems(events),
    });
    // Refused only when another run finished it first: it is done, and its event was written once.
    if (!outcome.ok && !outcome.failed.has('household')) throw new Error(`purge not recorded: ${[...outcome.failed].join(', ')}`);
  },
};
