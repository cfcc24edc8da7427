import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../../domain/errors.ts';
import type { AuditEvent } from '../../domain/audit.ts';
import { maxAccountsPerHousehold, type AccountLink, type Household } from '../../domain/household.ts';
import type { HouseholdStore, RequestMarker } from '../../domain/ports.ts';
import * as config from '../../config.ts';
import { eventItems } from './audit-events.ts';
import { documents, tableCall } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { firmHouseholdsPartition, householdKey, householdsByStatusPartition } from './keys.ts';
import { inProgress, savedByRequest, savedOnClaim } from './request-records.ts';
import { transact } from './transact.ts';

const indexKeys = (household: Household) => {
  const sortKey = `${household.createdAt}#${household.householdId}`;
  return {
    gsi1pk: firmHouseholdsPartition(household.firmId),
    gsi1sk: sortKey,
    gsi2pk: householdsByStatusPartition(household.firmId, household.status),
    gsi2sk: sortKey,
  };
};

const toItem = (household: Household) => ({
  ...householdKey(household.firmId, household.householdId),
  ...indexKeys(household),
  entity: 'household',
  ...household,
  // A string set for the duplicate check on link; DynamoDB sets can't be empty, so omit it for prospects.
  accountHashes: household.accounts.length > 0 ? new Set(household.accounts.map((a) => a.numberHash)) : undefined,
});

export const householdFromItem = (item: Record<string, unknown>): Household => {
  const { firmId, householdId, name, status, members, accounts, createdBy, createdAt, updatedAt } = item as unknown as Household;
  return { firmId, householdId, name, status, members, accounts, createdBy, createdAt, updatedAt };
};

const householdPut = (household: Household) => ({
  Put: { TableName: config.tableName(), Item: toItem(household), ConditionExpression: 'attribute_not_exists(pk)' },
});

/**
 * Saves the household and its events, and with a request marker writes it on the request's claim; if the claim has
 * one already, returns what that request saved.
 */
const createOnce = async (household: Household, events: AuditEvent[], marker: RequestMarker | undefined): Promise<Household> => {
  const outcome = await transact({
    household: householdPut(household),
    request: marker && savedOnClaim(marker, { householdId: household.householdId }),
    ...eventItems(events),
  });
  if (outcome.ok) return household;
  if (marker === undefined || !outcome.failed.has('request')) throw conflict('household already exists');
  // An earlier attempt with this key saved its household and lost the answer: that household is the answer.
  const saved = await savedByRequest(marker, (ids) => householdKey(household.firmId, String(ids.householdId)));
  if (!saved) throw inProgress();
  return householdFromItem(saved);
};

/** A deleted household's tombstone (household-deletion.ts) is no household: every read of one answers 404. */
const isDeleted = (item: Record<string, unknown> | undefined) => item?.status === 'deleted';

const read = async (firmId: string, householdId: string, consistent = false) => {
  const result = await tableCall(() =>
    documents.send(new GetCommand({ TableName: config.tableName(), Key: householdKey(firmId, householdId), ConsistentRead: consistent })),
  );
  return result.Item;
};

/** Why a link did not apply, from the household as it is now: gone, the number linked, full, or its status moved on. */
const refusalOf = async (link: AccountLink): Promise<undefined> => {
  const now = await read(link.firmId, link.householdId, true);
  if (now === undefined || isDeleted(now)) throw notFound('household');
  const linked = now.accountHashes as Set<string> | undefined;
  if ([link.account.numberHash, ...link.sameNumber].some((hash) => linked?.has(hash))) throw conflict('that account is already linked to this household');
  if ((now.accounts as unknown[]).length >= maxAccountsPerHousehold) {
    throw conflict(`a household holds at most ${maxAccountsPerHousehold} accounts; this one is full`);
  }
  return undefined;
};

const getHousehold: HouseholdStore['get'] = async (firmId, householdId) => {
  const item = await read(firmId, householdId);
  return item && !isDeleted(item) ? householdFromItem(item) : undefined;
};

const knownHousehold: HouseholdStore['known'] = async (firmId, householdId) => (await read(firmId, householdId)) !== undefined;

const listHouseholds: HouseholdStore['list'] = async (firmId, filter, page) => {
  const [index, pkName, skName, partition] =
    filter.status === undefined
      ? (['byFirm', 'gsi1pk', 'gsi1sk', firmHouseholdsPartition(firmId)] as const)
      : (['byStatus', 'gsi2pk', 'gsi2sk', householdsByStatusPartition(firmId, filter.status)] as const);
  const scope = { attribute: pkName, value: partition, keyNames: ['pk', 'sk', pkName, skName] };
  const start = await decodeCursor(page.cursor, scope);
  const result = await tableCall(() =>
    documents.send(
      new QueryCommand({
        TableName: config.tableName(),
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': pkName },
        ExpressionAttributeValues: { ':pk': partition },
        Limit: page.limit,
        ExclusiveStartKey: start,
      }),
    ),
  );
  return { items: (result.Items ?? []).map(householdFromItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
};

const addAccount: HouseholdStore['addAccount'] = async (link) => {
  const { firmId, householdId, account, sameNumber } = link;
  const others = Object.fromEntries(sameNumber.map((hash, i) => [`:same${i}`, hash]));
  const notOthers = Object.keys(others).map((name) => ` AND NOT contains(accountHashes, ${name})`).join('');
  const outcome = await transact({
    household: {
      Update: {
        TableName: config.tableName(),
        Key: householdKey(firmId, householdId),
        UpdateExpression:
          'SET accounts = list_append(accounts, :account), #status = :client, gsi2pk = :statusPartition, updatedAt = :now ADD accountHashes :hash',
        // The cap is in the condition, so a burst of links can never pass it between a read and a write; the status
        // as read, so the event says truly whether this link converted a prospect.
        ConditionExpression: `attribute_exists(pk) AND #status = :asRead AND NOT contains(accountHashes, :hashValue)${notOthers} AND size(accounts) < :maxAccounts`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':account': [account],
          ':client': 'client',
          ':statusPartition': householdsByStatusPartition(firmId, 'client'),
          ':now': link.at,
          ':asRead': link.statusAsRead,
          ':hash': new Set([account.numberHash]),
          ':hashValue': account.numberHash,
          ':maxAccounts': maxAccountsPerHousehold,
          ...others,
        },
      },
    },
    ...eventItems(link.events),
  });
  if (!outcome.ok) return refusalOf(link);
  // A transaction returns no values: the household as it now is, with any account linked beside this one.
  const linked = await read(firmId, householdId, true);
  if (linked === undefined || isDeleted(linked)) throw notFound('household');
  return householdFromItem(linked);
};

// The store in parts, granted apart (lib/wiring.ts), so a function that reads households bundles none of the writes.
export const dynamoHouseholdReads: Pick<HouseholdStore, 'get' | 'known'> = { get: getHousehold, known: knownHousehold };
export const dynamoHouseholdList: Pick<HouseholdStore, 'list'> = { list: listHouseholds };
export const dynamoHouseholdCreation: Pick<HouseholdStore, 'create'> = { create: createOnce };
export const dynamoHouseholdAccounts: Pick<HouseholdStore, 'addAccount'> = { addAccount };

/** The whole store, for the tests that drive it directly. */
export const dynamoHouseholds: HouseholdStore = {
  create: createOnce,
  get: getHousehold,
  known: knownHousehold,
  list: listHouseholds,
  addAccount,
};
