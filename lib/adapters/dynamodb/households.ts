import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conflict, notFound } from '../../domain/errors.ts';
import { maxAccountsPerHousehold, type Household, type StoredAccount } from '../../domain/household.ts';
import type { HouseholdStore, RequestMarker } from '../../domain/ports.ts';
import { config } from '../../config.ts';
import { documents, isConditionFailure, itemOnConditionFailure, tableCall } from './client.ts';
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

const fromItem = (item: Record<string, unknown>): Household => {
  const { firmId, householdId, name, status, members, accounts, createdBy, createdAt, updatedAt } = item as unknown as Household;
  return { firmId, householdId, name, status, members, accounts, createdBy, createdAt, updatedAt };
};

/** Saves the household and writes it on its request's claim; if the claim has one, returns what that request saved. */
const createOnce = async (household: Household, marker: RequestMarker): Promise<Household> => {
  const outcome = await transact({
    household: { Put: { TableName: config.tableName(), Item: toItem(household), ConditionExpression: 'attribute_not_exists(pk)' } },
    request: savedOnClaim(marker, { householdId: household.householdId }),
  });
  if (outcome.ok) return household;
  if (!outcome.failed.has('request')) throw conflict('household already exists');
  // An earlier attempt with this key saved its household and lost the answer: that household is the answer.
  const saved = await savedByRequest(marker, (ids) => householdKey(household.firmId, String(ids.householdId)));
  if (!saved) throw inProgress();
  return fromItem(saved);
};

export const dynamoHouseholds: HouseholdStore = {
  async create(household, marker) {
    if (marker !== undefined) return createOnce(household, marker);
    try {
      await tableCall(() =>
        documents.send(
          new PutCommand({
            TableName: config.tableName(),
            Item: toItem(household),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw conflict('household already exists');
      throw error;
    }
    return household;
  },

  async get(firmId, householdId) {
    const result = await tableCall(() =>
      documents.send(new GetCommand({ TableName: config.tableName(), Key: householdKey(firmId, householdId) })),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  },

  async list(firmId, filter, page) {
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
    return { items: (result.Items ?? []).map(fromItem), nextCursor: await encodeCursor(result.LastEvaluatedKey, scope) };
  },

  async addAccount(firmId, householdId, account: StoredAccount, now, sameNumber = []) {
    const others = Object.fromEntries(sameNumber.map((hash, i) => [`:same${i}`, hash]));
    const notOthers = Object.keys(others).map((name) => ` AND NOT contains(accountHashes, ${name})`).join('');
    try {
      const result = await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: config.tableName(),
            Key: householdKey(firmId, householdId),
            UpdateExpression:
              'SET accounts = list_append(accounts, :account), #status = :client, gsi2pk = :statusPartition, updatedAt = :now ADD accountHashes :hash',
            // The cap is in the condition, so a burst of links can never pass it between a read and a write.
            ConditionExpression: `attribute_exists(pk) AND NOT contains(accountHashes, :hashValue)${notOthers} AND size(accounts) < :maxAccounts`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':account': [account],
              ':client': 'client',
              ':statusPartition': householdsByStatusPartition(firmId, 'client'),
              ':now': now,
              ':hash': new Set([account.numberHash]),
              ':hashValue': account.numberHash,
              ':maxAccounts': maxAccountsPerHousehold,
              ...others,
            },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return fromItem(result.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) {
        const old = itemOnConditionFailure(error);
        if (old === undefined) throw notFound('household');
        const linked = old.accountHashes as Set<string> | undefined;
        if ([account.numberHash, ...sameNumber].some((hash) => linked?.has(hash))) throw conflict('that account is already linked to this household');
        throw conflict(`a household holds at most ${maxAccountsPerHousehold} accounts; this one is full`);
      }
      throw error;
    }
  },
};
